import type { Catalogue } from '../catalogue-types.js';
import { DESK_EN_GB } from '../desk-en-gb.js';

export const EN_GB: Catalogue = {
  language: 'en-GB',
  name: 'English (UK)',
  espeakVoice: 'en-gb',
  prompts: {
    'ask-payment-card-number': 'Please enter your card number, followed by the hash key.',
    'ask-expiration-date': 'Please enter the expiry date, two digits for the month and two for the year.',
    'ask-security-code': 'Please enter the security code from the back of your card.',
    'ask-postal-code': 'Please enter your postal code, followed by the hash key.',
    'error-input-timeout': 'Sorry, we did not receive your entry.',
    'error-invalid-card-number': 'Sorry, that card number is not valid.',
    'error-invalid-card-type': 'Sorry, we cannot accept that type of card.',
    'error-invalid-date': 'Sorry, that expiry date is not valid.',
    'error-invalid-security-code': 'Sorry, that security code is not valid.',
    'error-invalid-postal-code': 'Sorry, that postal code is not valid.',
    'error-too-many-failed-attempts':
      'Sorry, we could not take your card details. You will be returned to your agent.',
    'payment-processing': 'Thank you. Please wait while we process your payment.',
    'payment-succeeded': 'Thank you. Your payment was successful.',
    'payment-declined': 'Sorry, your payment was declined.',
    'payment-failed': 'Sorry, we could not complete your payment.',
    'payment-cancelled': 'The payment has been cancelled.',
  },
  readBack: {
    sentence: (amount) => `You are paying ${amount}. Press hash to confirm, or star to cancel.`,
    and: 'and',
    currencies: {
      gbp: { major: { one: 'one pound', other: '# pounds' }, minor: { one: 'one penny', other: '# pence' } },
      eur: { major: { one: 'one euro', other: '# euros' }, minor: { one: 'one cent', other: '# cents' } },
      usd: { major: { one: 'one dollar', other: '# dollars' }, minor: { one: 'one cent', other: '# cents' } },
      brl: {
        major: { one: 'one real', other: '# reais' },
        minor: { one: 'one centavo', other: '# centavos' },
      },
      pln: { major: { one: 'one zloty', other: '# zlotys' }, minor: { one: 'one grosz', other: '# groszy' } },
    },
  },
  desk: DESK_EN_GB,
};

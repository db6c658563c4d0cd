import type { Catalogue } from '../catalogue-types.js';
import { DESK_EN_US } from '../desk-en-us.js';
import { EN_GB } from './en-gb.js';

/** en-GB's texts but for the words American English says otherwise (pound key, ZIP code …). */
export const EN_US: Catalogue = {
  language: 'en-US',
  name: 'English (US)',
  espeakVoice: 'en-us',
  prompts: {
    ...EN_GB.prompts,
    'ask-payment-card-number': 'Please enter your card number, followed by the pound key.',
    'ask-expiration-date': 'Please enter the expiration date, two digits for the month and two for the year.',
    'ask-postal-code': 'Please enter your ZIP code, followed by the pound key.',
    'error-invalid-date': 'Sorry, that expiration date is not valid.',
    'error-invalid-postal-code': 'Sorry, that ZIP code is not valid.',
    'payment-cancelled': 'The payment has been canceled.',
  },
  readBack: {
    ...EN_GB.readBack,
    sentence: (amount) => `You are paying ${amount}. Press pound to confirm, or star to cancel.`,
  },
  desk: DESK_EN_US,
};

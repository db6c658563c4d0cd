import type { Catalogue } from '../catalogue-types.js';
import { DESK_NL_NL } from '../desk-nl-nl.js';

export const NL_NL: Catalogue = {
  language: 'nl-NL',
  name: 'Nederlands',
  espeakVoice: 'nl',
  prompts: {
    'ask-payment-card-number': 'Toets uw kaartnummer in, gevolgd door het hekje.',
    'ask-expiration-date': 'Toets de vervaldatum in: twee cijfers voor de maand en twee voor het jaar.',
    'ask-security-code': 'Toets de beveiligingscode in die op de achterkant van uw kaart staat.',
    'ask-postal-code': 'Toets de cijfers van uw postcode in, gevolgd door het hekje.',
    'error-input-timeout': 'Helaas hebben we uw invoer niet ontvangen.',
    'error-invalid-card-number': 'Helaas is dat kaartnummer ongeldig.',
    'error-invalid-card-type': 'Helaas accepteren we dit soort kaart niet.',
    'error-invalid-date': 'Helaas is die vervaldatum ongeldig.',
    'error-invalid-security-code': 'Helaas is die beveiligingscode ongeldig.',
    'error-invalid-postal-code': 'Helaas is die postcode ongeldig.',
    'error-too-many-failed-attempts':
      'Helaas konden we uw kaartgegevens niet verwerken. U wordt teruggezet naar uw medewerker.',
    'payment-processing': 'Dank u. Een ogenblik geduld, we verwerken uw betaling.',
    'payment-succeeded': 'Dank u. Uw betaling is gelukt.',
    'payment-declined': 'Helaas is uw betaling geweigerd.',
    'payment-failed': 'Helaas konden we uw betaling niet voltooien.',
    'payment-cancelled': 'De betaling is geannuleerd.',
  },
  readBack: {
    sentence: (amount) =>
      `U betaalt ${amount}. Druk op hekje om te bevestigen, of op sterretje om te annuleren.`,
    and: 'en',
    currencies: {
      gbp: { major: { one: 'één pond', other: '# pond' }, minor: { one: 'één penny', other: '# pence' } },
      eur: { major: { one: 'één euro', other: '# euro' }, minor: { one: 'één cent', other: '# cent' } },
      usd: { major: { one: 'één dollar', other: '# dollar' }, minor: { one: 'één cent', other: '# cent' } },
      brl: {
        major: { one: 'één real', other: '# reais' },
        minor: { one: 'één centavo', other: '# centavos' },
      },
      pln: { major: { one: 'één zloty', other: '# zloty' }, minor: { one: 'één grosz', other: '# groszy' } },
    },
  },
  desk: DESK_NL_NL,
};

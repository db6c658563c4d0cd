import type { Catalogue } from '../catalogue-types.js';
import { DESK_DE_DE } from '../desk-de-de.js';

export const DE_DE: Catalogue = {
  language: 'de-DE',
  name: 'Deutsch',
  espeakVoice: 'de',
  prompts: {
    'ask-payment-card-number': 'Bitte geben Sie Ihre Kartennummer ein, gefolgt von der Rautetaste.',
    'ask-expiration-date':
      'Bitte geben Sie das Ablaufdatum ein, zwei Ziffern für den Monat und zwei für das Jahr.',
    'ask-security-code': 'Bitte geben Sie die Prüfnummer auf der Rückseite Ihrer Karte ein.',
    'ask-postal-code': 'Bitte geben Sie Ihre Postleitzahl ein, gefolgt von der Rautetaste.',
    'error-input-timeout': 'Leider haben wir keine Eingabe erhalten.',
    'error-invalid-card-number': 'Leider ist diese Kartennummer ungültig.',
    'error-invalid-card-type': 'Leider können wir diese Kartenart nicht annehmen.',
    'error-invalid-date': 'Leider ist dieses Ablaufdatum ungültig.',
    'error-invalid-security-code': 'Leider ist diese Prüfnummer ungültig.',
    'error-invalid-postal-code': 'Leider ist diese Postleitzahl ungültig.',
    'error-too-many-failed-attempts':
      'Leider konnten wir Ihre Kartendaten nicht aufnehmen. Wir verbinden Sie wieder mit Ihrem Berater.',
    'payment-processing': 'Vielen Dank. Bitte warten Sie, während wir Ihre Zahlung bearbeiten.',
    'payment-succeeded': 'Vielen Dank. Ihre Zahlung war erfolgreich.',
    'payment-declined': 'Leider wurde Ihre Zahlung abgelehnt.',
    'payment-failed': 'Leider konnten wir Ihre Zahlung nicht abschließen.',
    'payment-cancelled': 'Die Zahlung wurde abgebrochen.',
  },
  readBack: {
    sentence: (amount) =>
      `Sie zahlen ${amount}. Drücken Sie die Rautetaste zum Bestätigen oder die Sterntaste zum Abbrechen.`,
    and: 'und',
    currencies: {
      gbp: { major: { one: 'ein Pfund', other: '# Pfund' }, minor: { one: 'ein Penny', other: '# Pence' } },
      eur: { major: { one: 'ein Euro', other: '# Euro' }, minor: { one: 'ein Cent', other: '# Cent' } },
      usd: { major: { one: 'ein Dollar', other: '# Dollar' }, minor: { one: 'ein Cent', other: '# Cent' } },
      brl: {
        major: { one: 'ein Real', other: '# Reais' },
        minor: { one: 'ein Centavo', other: '# Centavos' },
      },
      pln: { major: { one: 'ein Zloty', other: '# Zloty' }, minor: { one: 'ein Grosz', other: '# Groszy' } },
    },
  },
  desk: DESK_DE_DE,
};

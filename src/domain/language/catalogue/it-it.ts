import type { Catalogue } from '../catalogue-types.js';
import { DESK_IT_IT } from '../desk-it-it.js';

export const IT_IT: Catalogue = {
  language: 'it-IT',
  name: 'Italiano',
  espeakVoice: 'it',
  prompts: {
    'ask-payment-card-number': 'Inserisca il numero della carta, seguito dal tasto cancelletto.',
    'ask-expiration-date': "Inserisca la data di scadenza: due cifre per il mese e due per l'anno.",
    'ask-security-code': 'Inserisca il codice di sicurezza sul retro della carta.',
    'ask-postal-code': 'Inserisca il codice postale, seguito dal tasto cancelletto.',
    'error-input-timeout': 'Spiacenti, non abbiamo ricevuto alcun dato.',
    'error-invalid-card-number': 'Spiacenti, il numero della carta non è valido.',
    'error-invalid-card-type': 'Spiacenti, non accettiamo questo tipo di carta.',
    'error-invalid-date': 'Spiacenti, la data di scadenza non è valida.',
    'error-invalid-security-code': 'Spiacenti, il codice di sicurezza non è valido.',
    'error-invalid-postal-code': 'Spiacenti, il codice postale non è valido.',
    'error-too-many-failed-attempts':
      "Spiacenti, non siamo riusciti a registrare i dati della carta. La ricolleghiamo con l'operatore.",
    'payment-processing': 'Grazie. Attenda mentre elaboriamo il pagamento.',
    'payment-succeeded': 'Grazie. Il pagamento è andato a buon fine.',
    'payment-declined': 'Spiacenti, il pagamento è stato rifiutato.',
    'payment-failed': 'Spiacenti, non siamo riusciti a completare il pagamento.',
    'payment-cancelled': 'Il pagamento è stato annullato.',
  },
  readBack: {
    sentence: (amount) =>
      `Sta per pagare ${amount}. Prema il tasto cancelletto per confermare, o asterisco per annullare.`,
    and: 'e',
    currencies: {
      gbp: {
        major: { one: 'una sterlina', other: '# sterline' },
        minor: { one: 'un penny', other: '# pence' },
      },
      eur: {
        major: { one: 'un euro', other: '# euro' },
        minor: { one: 'un centesimo', other: '# centesimi' },
      },
      usd: {
        major: { one: 'un dollaro', other: '# dollari' },
        minor: { one: 'un centesimo', other: '# centesimi' },
      },
      brl: { major: { one: 'un real', other: '# reais' }, minor: { one: 'un centavo', other: '# centavos' } },
      pln: { major: { one: 'uno zloty', other: '# zloty' }, minor: { one: 'un grosz', other: '# groszy' } },
    },
  },
  desk: DESK_IT_IT,
};

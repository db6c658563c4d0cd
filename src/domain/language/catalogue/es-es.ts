import type { Catalogue } from '../catalogue-types.js';
import { DESK_ES_ES } from '../desk-es-es.js';

export const ES_ES: Catalogue = {
  language: 'es-ES',
  name: 'Español',
  espeakVoice: 'es',
  prompts: {
    'ask-payment-card-number': 'Introduzca el número de su tarjeta, seguido de la tecla almohadilla.',
    'ask-expiration-date': 'Introduzca la fecha de caducidad: dos cifras para el mes y dos para el año.',
    'ask-security-code': 'Introduzca el código de seguridad que figura en el reverso de su tarjeta.',
    'ask-postal-code': 'Introduzca su código postal, seguido de la tecla almohadilla.',
    'error-input-timeout': 'Lo sentimos, no hemos recibido ningún dato.',
    'error-invalid-card-number': 'Lo sentimos, ese número de tarjeta no es válido.',
    'error-invalid-card-type': 'Lo sentimos, no aceptamos ese tipo de tarjeta.',
    'error-invalid-date': 'Lo sentimos, esa fecha de caducidad no es válida.',
    'error-invalid-security-code': 'Lo sentimos, ese código de seguridad no es válido.',
    'error-invalid-postal-code': 'Lo sentimos, ese código postal no es válido.',
    'error-too-many-failed-attempts':
      'Lo sentimos, no hemos podido tomar los datos de su tarjeta. Le devolvemos con su agente.',
    'payment-processing': 'Gracias. Espere mientras procesamos su pago.',
    'payment-succeeded': 'Gracias. Su pago se ha realizado correctamente.',
    'payment-declined': 'Lo sentimos, su pago ha sido rechazado.',
    'payment-failed': 'Lo sentimos, no hemos podido completar su pago.',
    'payment-cancelled': 'El pago ha sido cancelado.',
  },
  readBack: {
    sentence: (amount) =>
      `Va a pagar ${amount}. Pulse la tecla almohadilla para confirmar, o asterisco para cancelar.`,
    and: 'con',
    currencies: {
      gbp: {
        major: { one: 'una libra', other: '# libras' },
        minor: { one: 'un penique', other: '# peniques' },
      },
      eur: { major: { one: 'un euro', other: '# euros' }, minor: { one: 'un céntimo', other: '# céntimos' } },
      usd: {
        major: { one: 'un dólar', other: '# dólares' },
        minor: { one: 'un centavo', other: '# centavos' },
      },
      brl: {
        major: { one: 'un real', other: '# reales' },
        minor: { one: 'un centavo', other: '# centavos' },
      },
      pln: { major: { one: 'un esloti', other: '# eslotis' }, minor: { one: 'un grosz', other: '# groszy' } },
    },
  },
  desk: DESK_ES_ES,
};

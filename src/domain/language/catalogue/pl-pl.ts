import type { Catalogue } from '../catalogue-types.js';
import { DESK_PL_PL } from '../desk-pl-pl.js';

export const PL_PL: Catalogue = {
  language: 'pl-PL',
  name: 'Polski',
  espeakVoice: 'pl',
  prompts: {
    'ask-payment-card-number': 'Proszę wprowadzić numer karty, a następnie nacisnąć krzyżyk.',
    'ask-expiration-date': 'Proszę wprowadzić datę ważności: dwie cyfry miesiąca i dwie cyfry roku.',
    'ask-security-code': 'Proszę wprowadzić kod bezpieczeństwa z tyłu karty.',
    'ask-postal-code': 'Proszę wprowadzić kod pocztowy, a następnie nacisnąć krzyżyk.',
    'error-input-timeout': 'Przepraszamy, nie otrzymaliśmy żadnych danych.',
    'error-invalid-card-number': 'Przepraszamy, ten numer karty jest nieprawidłowy.',
    'error-invalid-card-type': 'Przepraszamy, nie akceptujemy tego rodzaju karty.',
    'error-invalid-date': 'Przepraszamy, ta data ważności jest nieprawidłowa.',
    'error-invalid-security-code': 'Przepraszamy, ten kod bezpieczeństwa jest nieprawidłowy.',
    'error-invalid-postal-code': 'Przepraszamy, ten kod pocztowy jest nieprawidłowy.',
    'error-too-many-failed-attempts':
      'Przepraszamy, nie udało się przyjąć danych karty. Za chwilę połączymy z konsultantem.',
    'payment-processing': 'Dziękujemy. Proszę czekać, przetwarzamy płatność.',
    'payment-succeeded': 'Dziękujemy. Płatność została przyjęta.',
    'payment-declined': 'Przepraszamy, płatność została odrzucona.',
    'payment-failed': 'Przepraszamy, nie udało się zakończyć płatności.',
    'payment-cancelled': 'Płatność została anulowana.',
  },
  readBack: {
    sentence: (amount) =>
      `Kwota płatności: ${amount}. Proszę nacisnąć krzyżyk, aby potwierdzić, lub gwiazdkę, aby anulować.`,
    and: 'i',
    currencies: {
      gbp: {
        major: { one: 'jeden funt', few: '# funty', many: '# funtów', other: '# funta' },
        minor: { one: 'jeden pens', few: '# pensy', many: '# pensów', other: '# pensa' },
      },
      eur: {
        major: { one: 'jedno euro', other: '# euro' },
        minor: { one: 'jeden cent', few: '# centy', many: '# centów', other: '# centa' },
      },
      usd: {
        major: { one: 'jeden dolar', few: '# dolary', many: '# dolarów', other: '# dolara' },
        minor: { one: 'jeden cent', few: '# centy', many: '# centów', other: '# centa' },
      },
      brl: {
        major: { one: 'jeden real', few: '# reale', many: '# reali', other: '# reala' },
        minor: { one: 'jeden centavo', other: '# centavo' },
      },
      pln: {
        major: { one: 'jeden złoty', few: '# złote', many: '# złotych', other: '# złotego' },
        minor: { one: 'jeden grosz', few: '# grosze', many: '# groszy', other: '# grosza' },
      },
    },
  },
  desk: DESK_PL_PL,
};

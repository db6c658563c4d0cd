import type { Catalogue } from '../catalogue-types.js';

export const PL_PL: Catalogue = {
  language: 'pl-PL',
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
};

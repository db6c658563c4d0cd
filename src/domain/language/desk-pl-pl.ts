import type { DeskTexts } from './catalogue-types.js';

/** The agent desk in Polish (Poland). */
export const DESK_PL_PL: DeskTexts = {
  language: 'pl-PL',
  fieldNames: {
    'payment-card-number': 'Numer karty',
    'expiration-date': 'Data ważności',
    'security-code': 'Kod bezpieczeństwa',
    'postal-code': 'Kod pocztowy',
  },
  fieldHints: {
    'payment-card-number': 'Długi numer z przodu karty',
    'expiration-date': 'Miesiąc i rok, cztery cyfry',
    'security-code': 'Trzy lub cztery cyfry, zwykle z tyłu',
    'postal-code': 'Cyfry kodu pocztowego adresu rozliczeniowego',
  },
  statuses: {
    'in-progress': 'W toku',
    processing: 'Przetwarzanie',
    unknown: 'Sprawdzanie',
    succeeded: 'Zatwierdzona',
    failed: 'Nie pobrano',
    cancelled: 'Anulowana',
  },
  problems: {
    'input-timeout':
      'Od dłuższej chwili nie ma cyfr i czas na pole minął. Poproś klienta, aby wpisał je ponownie.',
    'invalid-card-number':
      'Ten numer karty jest nieprawidłowy. Poproś klienta, aby go sprawdził i wpisał ponownie.',
    'invalid-card-type': 'Ten rodzaj karty nie jest tu akceptowany. Poproś o inną kartę.',
    'invalid-date': 'Ta data ważności jest nieprawidłowa lub minęła. Poproś klienta, aby wpisał ją ponownie.',
    'invalid-security-code':
      'Ten kod bezpieczeństwa jest nieprawidłowy. Poproś klienta, aby wpisał go ponownie.',
    'invalid-postal-code': 'Ten kod pocztowy jest nieprawidłowy. Poproś klienta, aby wpisał go ponownie.',
    'too-many-failed-attempts': 'Zbyt wiele nieudanych prób.',
    'caller-hung-up': 'Klient się rozłączył.',
    'payment-connector-error': 'Nie udało się połączyć z operatorem płatności.',
  },
  outcomes: {
    success: {
      title: 'Płatność zatwierdzona',
      text: 'Karta została obciążona. Przeczytaj klientowi kod potwierdzenia.',
    },
    declined: { title: 'Karta odrzucona', text: 'Bank odrzucił kartę. Nic nie zostało pobrane.' },
    'payment-connector-error': {
      title: 'Płatność nieukończona',
      text: 'Operator płatności nie przyjął płatności. Nic nie zostało pobrane; możesz spróbować ponownie.',
    },
    'caller-hung-up': {
      title: 'Klient się rozłączył',
      text: 'Połączenie zakończyło się przed ukończeniem płatności. Nic nie zostało pobrane.',
    },
    'too-many-failed-attempts': {
      title: 'Płatność nieukończona',
      text: 'Zbyt wiele nieudanych prób. Nic nie zostało pobrane; możesz zacząć od nowa.',
    },
    cancelled: { title: 'Płatność anulowana', text: 'Płatność została anulowana. Nic nie zostało pobrane.' },
    'internal-error': {
      title: 'Płatność nieukończona',
      text: 'W bramce wystąpił błąd. Nic nie zostało pobrane.',
    },
    unknown: {
      title: 'Sprawdzanie u operatora',
      text: 'Operator nie potwierdził, czy karta została obciążona. Nie pobieraj płatności ponownie: tonewall pyta operatora, a ten ekran zmieni się, gdy będzie wiadomo.',
    },
  },
  roleNames: { agent: 'Konsultant', supervisor: 'Kierownik', auditor: 'Audytor', admin: 'Administrator' },
  readBack: { awaiting: 'Klient słyszy kwotę: # potwierdza płatność, * ją anuluje.' },
  orders: {
    untitled: 'Zamówienie',
    take: 'Pobierz płatność',
    states: { open: 'Otwarte', paid: 'Opłacone', expired: 'Wygasłe' },
    takeLabel: 'Pobierz płatność za {what}, {amount}',
    arrived: 'W rozmowie jest nowe zamówienie: {what}, {amount}.',
    refused: {
      GW_ERR_ORDER_STATE: 'To zamówienie jest opłacone lub wygasło: nie można go pobrać ponownie.',
      GW_ERR_PAYMENT_ACTIVE: 'W tej rozmowie trwa już płatność.',
      GW_ERR_NOT_FOUND: 'Tego zamówienia nie ma już w rozmowie.',
    },
  },
};

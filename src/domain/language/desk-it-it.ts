import type { DeskTexts } from './catalogue-types.js';

/** The agent desk in Italian (Italy). */
export const DESK_IT_IT: DeskTexts = {
  language: 'it-IT',
  fieldNames: {
    'payment-card-number': 'Numero della carta',
    'expiration-date': 'Data di scadenza',
    'security-code': 'Codice di sicurezza',
    'postal-code': 'Codice postale',
  },
  fieldHints: {
    'payment-card-number': 'Il numero lungo sul fronte della carta',
    'expiration-date': 'Mese e anno, quattro cifre',
    'security-code': 'Tre o quattro cifre, di solito sul retro',
    'postal-code': 'Le cifre del CAP di fatturazione',
  },
  statuses: {
    'in-progress': 'In corso',
    processing: 'In elaborazione',
    unknown: 'Verifica in corso',
    succeeded: 'Approvato',
    failed: 'Non addebitato',
    cancelled: 'Annullato',
  },
  problems: {
    'input-timeout':
      'Da un po’ non arrivano cifre e il campo è scaduto. Chieda al cliente di digitarlo di nuovo.',
    'invalid-card-number':
      'Quel numero di carta non è valido. Chieda al cliente di controllarlo e digitarlo di nuovo.',
    'invalid-card-type': 'Quel tipo di carta non è accettato qui. Chieda un’altra carta.',
    'invalid-date':
      'Quella data di scadenza non è valida o è passata. Chieda al cliente di digitarla di nuovo.',
    'invalid-security-code':
      'Quel codice di sicurezza non è valido. Chieda al cliente di digitarlo di nuovo.',
    'invalid-postal-code': 'Quel codice postale non è valido. Chieda al cliente di digitarlo di nuovo.',
    'too-many-failed-attempts': 'Troppi tentativi non riusciti.',
    'caller-hung-up': 'Il cliente ha riagganciato.',
    'payment-connector-error': 'Non è stato possibile raggiungere il gestore dei pagamenti.',
  },
  outcomes: {
    success: {
      title: 'Pagamento approvato',
      text: 'La carta è stata addebitata. Legga al cliente il codice di conferma.',
    },
    declined: {
      title: 'Carta rifiutata',
      text: 'La banca ha rifiutato la carta. Non è stato addebitato nulla.',
    },
    'payment-connector-error': {
      title: 'Pagamento non completato',
      text: 'Il gestore dei pagamenti non ha accettato il pagamento. Non è stato addebitato nulla; può riprovare.',
    },
    'caller-hung-up': {
      title: 'Il cliente ha riagganciato',
      text: 'La chiamata è terminata prima che il pagamento fosse completato. Non è stato addebitato nulla.',
    },
    'too-many-failed-attempts': {
      title: 'Pagamento non completato',
      text: 'Troppi tentativi non riusciti. Non è stato addebitato nulla; può ricominciare.',
    },
    cancelled: {
      title: 'Pagamento annullato',
      text: 'Il pagamento è stato annullato. Non è stato addebitato nulla.',
    },
    'internal-error': {
      title: 'Pagamento non completato',
      text: 'Qualcosa non ha funzionato nel gateway. Non è stato addebitato nulla.',
    },
    unknown: {
      title: 'Verifica con il gestore',
      text: 'Il gestore non ha confermato se la carta è stata addebitata. Non ripeta il pagamento: tonewall lo sta chiedendo al gestore e questa schermata cambierà appena lo saprà.',
    },
  },
  roleNames: { agent: 'Operatore', supervisor: 'Supervisore', auditor: 'Revisore', admin: 'Amministratore' },
  readBack: { awaiting: 'Il cliente sta ascoltando l’importo: # conferma il pagamento, * lo annulla.' },
  orders: {
    untitled: 'Ordine',
    take: 'Incassa',
    states: { open: 'Aperto', paid: 'Pagato', expired: 'Scaduto' },
    takeLabel: 'Incassa {what}, {amount}',
    arrived: 'C’è un nuovo ordine sulla chiamata: {what}, {amount}.',
    refused: {
      GW_ERR_ORDER_STATE: 'Questo ordine è pagato o scaduto: non può essere incassato di nuovo.',
      GW_ERR_PAYMENT_ACTIVE: 'C’è già un pagamento in corso su questa chiamata.',
      GW_ERR_NOT_FOUND: 'Questo ordine non è più sulla chiamata.',
    },
  },
};

import type { DeskTexts } from './catalogue-types.js';

/** The agent desk in German (Germany). */
export const DESK_DE_DE: DeskTexts = {
  language: 'de-DE',
  fieldNames: {
    'payment-card-number': 'Kartennummer',
    'expiration-date': 'Ablaufdatum',
    'security-code': 'Sicherheitscode',
    'postal-code': 'Postleitzahl',
  },
  fieldHints: {
    'payment-card-number': 'Die lange Nummer auf der Vorderseite der Karte',
    'expiration-date': 'Monat und Jahr, vier Ziffern',
    'security-code': 'Drei oder vier Ziffern, meist auf der Rückseite',
    'postal-code': 'Die Ziffern der Postleitzahl der Rechnungsadresse',
  },
  statuses: {
    'in-progress': 'In Bearbeitung',
    processing: 'Wird verarbeitet',
    unknown: 'Wird geprüft',
    succeeded: 'Genehmigt',
    failed: 'Nicht belastet',
    cancelled: 'Abgebrochen',
  },
  problems: {
    'input-timeout':
      'Eine Weile kamen keine Ziffern, das Feld ist abgelaufen. Bitten Sie den Kunden, es erneut einzugeben.',
    'invalid-card-number':
      'Diese Kartennummer ist nicht gültig. Bitten Sie den Kunden, sie zu prüfen und erneut einzugeben.',
    'invalid-card-type': 'Diese Kartenart wird hier nicht angenommen. Bitten Sie um eine andere Karte.',
    'invalid-date':
      'Dieses Ablaufdatum ist ungültig oder abgelaufen. Bitten Sie den Kunden, es erneut einzugeben.',
    'invalid-security-code':
      'Dieser Sicherheitscode ist nicht gültig. Bitten Sie den Kunden, ihn erneut einzugeben.',
    'invalid-postal-code':
      'Diese Postleitzahl ist nicht gültig. Bitten Sie den Kunden, sie erneut einzugeben.',
    'too-many-failed-attempts': 'Zu viele Versuche sind fehlgeschlagen.',
    'caller-hung-up': 'Der Kunde hat aufgelegt.',
    'payment-connector-error': 'Der Zahlungsdienstleister war nicht erreichbar.',
  },
  outcomes: {
    success: {
      title: 'Zahlung genehmigt',
      text: 'Die Karte wurde belastet. Lesen Sie dem Kunden den Bestätigungscode vor.',
    },
    declined: {
      title: 'Karte abgelehnt',
      text: 'Die Bank hat die Karte abgelehnt. Es wurde nichts abgebucht.',
    },
    'payment-connector-error': {
      title: 'Zahlung nicht abgeschlossen',
      text: 'Der Zahlungsdienstleister hat die Zahlung nicht angenommen. Es wurde nichts abgebucht; Sie können es erneut versuchen.',
    },
    'caller-hung-up': {
      title: 'Kunde hat aufgelegt',
      text: 'Der Anruf endete, bevor die Zahlung abgeschlossen war. Es wurde nichts abgebucht.',
    },
    'too-many-failed-attempts': {
      title: 'Zahlung nicht abgeschlossen',
      text: 'Zu viele Versuche sind fehlgeschlagen. Es wurde nichts abgebucht; Sie können neu beginnen.',
    },
    cancelled: {
      title: 'Zahlung abgebrochen',
      text: 'Die Zahlung wurde abgebrochen. Es wurde nichts abgebucht.',
    },
    'internal-error': {
      title: 'Zahlung nicht abgeschlossen',
      text: 'Im Gateway ist ein Fehler aufgetreten. Es wurde nichts abgebucht.',
    },
    unknown: {
      title: 'Rückfrage beim Zahlungsdienstleister',
      text: 'Der Zahlungsdienstleister hat nicht bestätigt, ob die Karte belastet wurde. Nehmen Sie die Zahlung nicht erneut an: tonewall fragt nach, und diese Anzeige ändert sich, sobald es Bescheid weiß.',
    },
  },
  roleNames: { agent: 'Agent', supervisor: 'Supervisor', auditor: 'Prüfer', admin: 'Administrator' },
  readBack: { awaiting: 'Der Kunde hört den Betrag: # bestätigt die Zahlung, * bricht sie ab.' },
  orders: {
    untitled: 'Bestellung',
    take: 'Zahlung annehmen',
    states: { open: 'Offen', paid: 'Bezahlt', expired: 'Abgelaufen' },
    takeLabel: 'Zahlung für {what} annehmen, {amount}',
    arrived: 'Eine neue Bestellung liegt für den Anruf vor: {what}, {amount}.',
    refused: {
      GW_ERR_ORDER_STATE:
        'Diese Bestellung ist bezahlt oder abgelaufen: sie kann nicht erneut angenommen werden.',
      GW_ERR_PAYMENT_ACTIVE: 'Für diesen Anruf läuft bereits eine Zahlung.',
      GW_ERR_NOT_FOUND: 'Diese Bestellung gehört nicht mehr zum Anruf.',
    },
  },
};

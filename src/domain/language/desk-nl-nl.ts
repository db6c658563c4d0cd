import type { DeskTexts } from './catalogue-types.js';

/** The agent desk in Dutch (Netherlands). */
export const DESK_NL_NL: DeskTexts = {
  language: 'nl-NL',
  fieldNames: {
    'payment-card-number': 'Kaartnummer',
    'expiration-date': 'Vervaldatum',
    'security-code': 'Beveiligingscode',
    'postal-code': 'Postcode',
  },
  fieldHints: {
    'payment-card-number': 'Het lange nummer op de voorkant van de kaart',
    'expiration-date': 'Maand en jaar, vier cijfers',
    'security-code': 'Drie of vier cijfers, meestal op de achterkant',
    'postal-code': 'De cijfers van de factuurpostcode',
  },
  statuses: {
    'in-progress': 'Bezig',
    processing: 'Wordt verwerkt',
    unknown: 'Wordt gecontroleerd',
    succeeded: 'Goedgekeurd',
    failed: 'Niet afgeschreven',
    cancelled: 'Geannuleerd',
  },
  problems: {
    'input-timeout': 'Al even geen cijfers, het veld is verlopen. Vraag de klant het opnieuw in te toetsen.',
    'invalid-card-number':
      'Dat kaartnummer is niet geldig. Vraag de klant het te controleren en opnieuw in te toetsen.',
    'invalid-card-type': 'Dat soort kaart wordt hier niet geaccepteerd. Vraag om een andere kaart.',
    'invalid-date':
      'Die vervaldatum is niet geldig of is verstreken. Vraag de klant hem opnieuw in te toetsen.',
    'invalid-security-code': 'Die beveiligingscode is niet geldig. Vraag de klant hem opnieuw in te toetsen.',
    'invalid-postal-code': 'Die postcode is niet geldig. Vraag de klant hem opnieuw in te toetsen.',
    'too-many-failed-attempts': 'Te veel pogingen zijn mislukt.',
    'caller-hung-up': 'De klant heeft opgehangen.',
    'payment-connector-error': 'De betaalverwerker was niet bereikbaar.',
  },
  outcomes: {
    success: {
      title: 'Betaling goedgekeurd',
      text: 'De kaart is belast. Lees de klant de bevestigingscode voor.',
    },
    declined: {
      title: 'Kaart geweigerd',
      text: 'De bank heeft de kaart geweigerd. Er is niets afgeschreven.',
    },
    'payment-connector-error': {
      title: 'Betaling niet voltooid',
      text: 'De betaalverwerker heeft de betaling niet aangenomen. Er is niets afgeschreven; u kunt het opnieuw proberen.',
    },
    'caller-hung-up': {
      title: 'Klant heeft opgehangen',
      text: 'Het gesprek eindigde voordat de betaling voltooid was. Er is niets afgeschreven.',
    },
    'too-many-failed-attempts': {
      title: 'Betaling niet voltooid',
      text: 'Te veel pogingen zijn mislukt. Er is niets afgeschreven; u kunt opnieuw beginnen.',
    },
    cancelled: {
      title: 'Betaling geannuleerd',
      text: 'De betaling is geannuleerd. Er is niets afgeschreven.',
    },
    'internal-error': {
      title: 'Betaling niet voltooid',
      text: 'Er ging iets mis in de gateway. Er is niets afgeschreven.',
    },
    unknown: {
      title: 'Navraag bij de verwerker',
      text: 'De verwerker heeft niet bevestigd of de kaart is belast. Neem de betaling niet opnieuw af: tonewall vraagt het na en dit scherm verandert zodra het bekend is.',
    },
  },
  roleNames: { agent: 'Medewerker', supervisor: 'Supervisor', auditor: 'Auditor', admin: 'Beheerder' },
  readBack: { awaiting: 'De klant hoort het bedrag: # bevestigt de betaling, * annuleert hem.' },
  orders: {
    untitled: 'Bestelling',
    take: 'Betaling afnemen',
    states: { open: 'Open', paid: 'Betaald', expired: 'Verlopen' },
    takeLabel: 'Betaling afnemen voor {what}, {amount}',
    arrived: 'Er staat een nieuwe bestelling op het gesprek: {what}, {amount}.',
    refused: {
      GW_ERR_ORDER_STATE: 'Deze bestelling is betaald of verlopen: ze kan niet opnieuw worden afgenomen.',
      GW_ERR_PAYMENT_ACTIVE: 'Er loopt al een betaling op dit gesprek.',
      GW_ERR_NOT_FOUND: 'Deze bestelling staat niet meer op het gesprek.',
    },
  },
};

import type { DeskTexts } from './catalogue-types.js';

/** The agent desk in French (France). */
export const DESK_FR_FR: DeskTexts = {
  language: 'fr-FR',
  fieldNames: {
    'payment-card-number': 'Numéro de carte',
    'expiration-date': "Date d'expiration",
    'security-code': 'Code de sécurité',
    'postal-code': 'Code postal',
  },
  fieldHints: {
    'payment-card-number': 'Le long numéro au recto de la carte',
    'expiration-date': 'Mois et année, quatre chiffres',
    'security-code': 'Trois ou quatre chiffres, en général au verso',
    'postal-code': 'Les chiffres du code postal de facturation',
  },
  statuses: {
    'in-progress': 'En cours',
    processing: 'En traitement',
    unknown: 'Vérification',
    succeeded: 'Approuvé',
    failed: 'Non débité',
    cancelled: 'Annulé',
  },
  problems: {
    'input-timeout':
      'Aucun chiffre depuis un moment, le champ a expiré. Demandez au client de le saisir à nouveau.',
    'invalid-card-number':
      "Ce numéro de carte n'est pas valide. Demandez au client de le vérifier et de le saisir à nouveau.",
    'invalid-card-type': "Ce type de carte n'est pas accepté ici. Demandez une autre carte.",
    'invalid-date':
      "Cette date d'expiration n'est pas valide ou est dépassée. Demandez au client de la saisir à nouveau.",
    'invalid-security-code':
      "Ce code de sécurité n'est pas valide. Demandez au client de le saisir à nouveau.",
    'invalid-postal-code': "Ce code postal n'est pas valide. Demandez au client de le saisir à nouveau.",
    'too-many-failed-attempts': 'Trop de tentatives ont échoué.',
    'caller-hung-up': 'Le client a raccroché.',
    'payment-connector-error': "Le prestataire de paiement n'a pas pu être joint.",
  },
  outcomes: {
    success: {
      title: 'Paiement approuvé',
      text: 'La carte a été débitée. Lisez le code de confirmation au client.',
    },
    declined: { title: 'Carte refusée', text: "La banque a refusé la carte. Aucun montant n'a été débité." },
    'payment-connector-error': {
      title: 'Paiement non abouti',
      text: "Le prestataire de paiement n'a pas accepté le paiement. Aucun montant n'a été débité ; vous pouvez réessayer.",
    },
    'caller-hung-up': {
      title: 'Le client a raccroché',
      text: "L'appel s'est terminé avant la fin du paiement. Aucun montant n'a été débité.",
    },
    'too-many-failed-attempts': {
      title: 'Paiement non abouti',
      text: "Trop de tentatives ont échoué. Aucun montant n'a été débité ; vous pouvez recommencer.",
    },
    cancelled: { title: 'Paiement annulé', text: "Le paiement a été annulé. Aucun montant n'a été débité." },
    'internal-error': {
      title: 'Paiement non abouti',
      text: "Une erreur s'est produite dans la passerelle. Aucun montant n'a été débité.",
    },
    unknown: {
      title: 'Vérification auprès du prestataire',
      text: "Le prestataire n'a pas confirmé si la carte a été débitée. Ne reprenez pas le paiement : tonewall interroge le prestataire et cet écran changera dès qu'il saura.",
    },
  },
  roleNames: { agent: 'Agent', supervisor: 'Superviseur', auditor: 'Auditeur', admin: 'Administrateur' },
  readBack: { awaiting: 'Le client entend le montant : # confirme le paiement, * l’annule.' },
  orders: {
    untitled: 'Commande',
    take: 'Encaisser',
    states: { open: 'Ouverte', paid: 'Payée', expired: 'Expirée' },
    takeLabel: 'Encaisser {what}, {amount}',
    arrived: "Une nouvelle commande est sur l'appel : {what}, {amount}.",
    refused: {
      GW_ERR_ORDER_STATE: 'Cette commande est payée ou a expiré : elle ne peut pas être encaissée à nouveau.',
      GW_ERR_PAYMENT_ACTIVE: 'Un paiement est déjà en cours sur cet appel.',
      GW_ERR_NOT_FOUND: "Cette commande n'est plus sur l'appel.",
    },
  },
};

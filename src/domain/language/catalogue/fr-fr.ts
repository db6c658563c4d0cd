import type { Catalogue } from '../catalogue-types.js';
import { DESK_FR_FR } from '../desk-fr-fr.js';

export const FR_FR: Catalogue = {
  language: 'fr-FR',
  name: 'Français',
  espeakVoice: 'fr-fr',
  prompts: {
    'ask-payment-card-number': 'Veuillez saisir votre numéro de carte, suivi de la touche dièse.',
    'ask-expiration-date':
      "Veuillez saisir la date d'expiration : deux chiffres pour le mois et deux pour l'année.",
    'ask-security-code': 'Veuillez saisir le cryptogramme visuel, au dos de votre carte.',
    'ask-postal-code': 'Veuillez saisir votre code postal, suivi de la touche dièse.',
    'error-input-timeout': "Désolé, nous n'avons pas reçu votre saisie.",
    'error-invalid-card-number': "Désolé, ce numéro de carte n'est pas valide.",
    'error-invalid-card-type': "Désolé, nous n'acceptons pas ce type de carte.",
    'error-invalid-date': "Désolé, cette date d'expiration n'est pas valide.",
    'error-invalid-security-code': "Désolé, ce cryptogramme n'est pas valide.",
    'error-invalid-postal-code': "Désolé, ce code postal n'est pas valide.",
    'error-too-many-failed-attempts':
      "Désolé, nous n'avons pas pu enregistrer votre carte. Nous vous repassons votre conseiller.",
    'payment-processing': 'Merci. Veuillez patienter pendant le traitement de votre paiement.',
    'payment-succeeded': 'Merci. Votre paiement a été accepté.',
    'payment-declined': 'Désolé, votre paiement a été refusé.',
    'payment-failed': "Désolé, nous n'avons pas pu finaliser votre paiement.",
    'payment-cancelled': 'Le paiement a été annulé.',
  },
  readBack: {
    sentence: (amount) =>
      `Vous allez payer ${amount}. Appuyez sur la touche dièse pour confirmer, ou sur étoile pour annuler.`,
    and: 'et',
    currencies: {
      gbp: { major: { one: 'une livre', other: '# livres' }, minor: { one: 'un penny', other: '# pence' } },
      eur: { major: { one: 'un euro', other: '# euros' }, minor: { one: 'un centime', other: '# centimes' } },
      usd: { major: { one: 'un dollar', other: '# dollars' }, minor: { one: 'un cent', other: '# cents' } },
      brl: { major: { one: 'un réal', other: '# réaux' }, minor: { one: 'un centavo', other: '# centavos' } },
      pln: { major: { one: 'un zloty', other: '# zlotys' }, minor: { one: 'un grosz', other: '# groszy' } },
    },
  },
  desk: DESK_FR_FR,
};

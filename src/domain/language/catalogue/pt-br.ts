import type { Catalogue } from '../catalogue-types.js';
import { DESK_PT_BR } from '../desk-pt-br.js';

export const PT_BR: Catalogue = {
  language: 'pt-BR',
  name: 'Português (Brasil)',
  espeakVoice: 'pt-br',
  prompts: {
    'ask-payment-card-number': 'Digite o número do seu cartão, seguido da tecla jogo da velha.',
    'ask-expiration-date': 'Digite a data de validade: dois dígitos para o mês e dois para o ano.',
    'ask-security-code': 'Digite o código de segurança que está no verso do seu cartão.',
    'ask-postal-code': 'Digite o seu CEP, seguido da tecla jogo da velha.',
    'error-input-timeout': 'Desculpe, não recebemos a sua digitação.',
    'error-invalid-card-number': 'Desculpe, esse número de cartão não é válido.',
    'error-invalid-card-type': 'Desculpe, não aceitamos esse tipo de cartão.',
    'error-invalid-date': 'Desculpe, essa data de validade não é válida.',
    'error-invalid-security-code': 'Desculpe, esse código de segurança não é válido.',
    'error-invalid-postal-code': 'Desculpe, esse CEP não é válido.',
    'error-too-many-failed-attempts':
      'Desculpe, não conseguimos registrar os dados do seu cartão. Você voltará a falar com o seu atendente.',
    'payment-processing': 'Obrigado. Aguarde enquanto processamos o seu pagamento.',
    'payment-succeeded': 'Obrigado. O seu pagamento foi aprovado.',
    'payment-declined': 'Desculpe, o seu pagamento foi recusado.',
    'payment-failed': 'Desculpe, não conseguimos concluir o seu pagamento.',
    'payment-cancelled': 'O pagamento foi cancelado.',
  },
  readBack: {
    sentence: (amount) =>
      `Você vai pagar ${amount}. Digite a tecla jogo da velha para confirmar, ou asterisco para cancelar.`,
    and: 'e',
    currencies: {
      gbp: { major: { one: 'uma libra', other: '# libras' }, minor: { one: 'um pêni', other: '# pence' } },
      eur: { major: { one: 'um euro', other: '# euros' }, minor: { one: 'um centavo', other: '# centavos' } },
      usd: {
        major: { one: 'um dólar', other: '# dólares' },
        minor: { one: 'um centavo', other: '# centavos' },
      },
      brl: { major: { one: 'um real', other: '# reais' }, minor: { one: 'um centavo', other: '# centavos' } },
      pln: { major: { one: 'um zloty', other: '# zlotys' }, minor: { one: 'um grosz', other: '# groszy' } },
    },
  },
  desk: DESK_PT_BR,
};

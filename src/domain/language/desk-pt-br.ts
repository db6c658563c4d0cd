import type { DeskTexts } from './catalogue-types.js';

/** The agent desk in Portuguese (Brazil). */
export const DESK_PT_BR: DeskTexts = {
  language: 'pt-BR',
  fieldNames: {
    'payment-card-number': 'Número do cartão',
    'expiration-date': 'Data de validade',
    'security-code': 'Código de segurança',
    'postal-code': 'CEP',
  },
  fieldHints: {
    'payment-card-number': 'O número longo na frente do cartão',
    'expiration-date': 'Mês e ano, quatro dígitos',
    'security-code': 'Três ou quatro dígitos, geralmente no verso',
    'postal-code': 'Os dígitos do CEP de cobrança',
  },
  statuses: {
    'in-progress': 'Em andamento',
    processing: 'Processando',
    unknown: 'Verificando',
    succeeded: 'Aprovado',
    failed: 'Não cobrado',
    cancelled: 'Cancelado',
  },
  problems: {
    'input-timeout': 'Nenhum dígito por um tempo e o campo expirou. Peça ao cliente que digite de novo.',
    'invalid-card-number':
      'Esse número de cartão não é válido. Peça ao cliente que confira e digite de novo.',
    'invalid-card-type': 'Esse tipo de cartão não é aceito aqui. Peça outro cartão.',
    'invalid-date': 'Essa data de validade não é válida ou já passou. Peça ao cliente que digite de novo.',
    'invalid-security-code': 'Esse código de segurança não é válido. Peça ao cliente que digite de novo.',
    'invalid-postal-code': 'Esse CEP não é válido. Peça ao cliente que digite de novo.',
    'too-many-failed-attempts': 'Tentativas demais falharam.',
    'caller-hung-up': 'O cliente desligou.',
    'payment-connector-error': 'Não foi possível contatar o processador de pagamentos.',
  },
  outcomes: {
    success: {
      title: 'Pagamento aprovado',
      text: 'O cartão foi cobrado. Leia o código de confirmação para o cliente.',
    },
    declined: { title: 'Cartão recusado', text: 'O banco recusou o cartão. Nada foi cobrado.' },
    'payment-connector-error': {
      title: 'Pagamento não concluído',
      text: 'O processador de pagamentos não aceitou o pagamento. Nada foi cobrado; você pode tentar de novo.',
    },
    'caller-hung-up': {
      title: 'O cliente desligou',
      text: 'A ligação terminou antes de o pagamento ser concluído. Nada foi cobrado.',
    },
    'too-many-failed-attempts': {
      title: 'Pagamento não concluído',
      text: 'Tentativas demais falharam. Nada foi cobrado; você pode começar de novo.',
    },
    cancelled: { title: 'Pagamento cancelado', text: 'O pagamento foi cancelado. Nada foi cobrado.' },
    'internal-error': {
      title: 'Pagamento não concluído',
      text: 'Algo deu errado no gateway. Nada foi cobrado.',
    },
    unknown: {
      title: 'Verificando com o processador',
      text: 'O processador não confirmou se o cartão foi cobrado. Não cobre de novo: o tonewall está consultando o processador e esta tela muda quando ele souber.',
    },
  },
  roleNames: { agent: 'Atendente', supervisor: 'Supervisor', auditor: 'Auditor', admin: 'Administrador' },
  readBack: { awaiting: 'O cliente está ouvindo o valor: # confirma o pagamento, * cancela.' },
  orders: {
    untitled: 'Pedido',
    take: 'Cobrar',
    states: { open: 'Aberto', paid: 'Pago', expired: 'Expirado' },
    takeLabel: 'Cobrar {what}, {amount}',
    arrived: 'Há um novo pedido na ligação: {what}, {amount}.',
    refused: {
      GW_ERR_ORDER_STATE: 'Este pedido já foi pago ou expirou: não pode ser cobrado de novo.',
      GW_ERR_PAYMENT_ACTIVE: 'Já há um pagamento em andamento nesta ligação.',
      GW_ERR_NOT_FOUND: 'Este pedido não está mais na ligação.',
    },
  },
};

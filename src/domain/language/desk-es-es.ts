import type { DeskTexts } from './catalogue-types.js';

/** The agent desk in Spanish (Spain). */
export const DESK_ES_ES: DeskTexts = {
  language: 'es-ES',
  fieldNames: {
    'payment-card-number': 'Número de tarjeta',
    'expiration-date': 'Fecha de caducidad',
    'security-code': 'Código de seguridad',
    'postal-code': 'Código postal',
  },
  fieldHints: {
    'payment-card-number': 'El número largo del anverso de la tarjeta',
    'expiration-date': 'Mes y año, cuatro cifras',
    'security-code': 'Tres o cuatro cifras, normalmente en el reverso',
    'postal-code': 'Las cifras del código postal de facturación',
  },
  statuses: {
    'in-progress': 'En curso',
    processing: 'Procesando',
    unknown: 'Comprobando',
    succeeded: 'Aprobado',
    failed: 'No cobrado',
    cancelled: 'Cancelado',
  },
  problems: {
    'input-timeout':
      'Hace un rato que no llegan cifras y el campo ha caducado. Pida al cliente que lo teclee de nuevo.',
    'invalid-card-number':
      'Ese número de tarjeta no es válido. Pida al cliente que lo compruebe y lo teclee de nuevo.',
    'invalid-card-type': 'Ese tipo de tarjeta no se acepta aquí. Pida otra tarjeta.',
    'invalid-date':
      'Esa fecha de caducidad no es válida o ya ha pasado. Pida al cliente que la teclee de nuevo.',
    'invalid-security-code': 'Ese código de seguridad no es válido. Pida al cliente que lo teclee de nuevo.',
    'invalid-postal-code': 'Ese código postal no es válido. Pida al cliente que lo teclee de nuevo.',
    'too-many-failed-attempts': 'Demasiados intentos fallidos.',
    'caller-hung-up': 'El cliente ha colgado.',
    'payment-connector-error': 'No se ha podido contactar con el procesador de pagos.',
  },
  outcomes: {
    success: {
      title: 'Pago aprobado',
      text: 'Se ha cobrado la tarjeta. Lea al cliente el código de confirmación.',
    },
    declined: {
      title: 'Tarjeta rechazada',
      text: 'El banco ha rechazado la tarjeta. No se ha cobrado nada.',
    },
    'payment-connector-error': {
      title: 'Pago no completado',
      text: 'El procesador de pagos no ha aceptado el pago. No se ha cobrado nada; puede intentarlo de nuevo.',
    },
    'caller-hung-up': {
      title: 'El cliente ha colgado',
      text: 'La llamada terminó antes de completar el pago. No se ha cobrado nada.',
    },
    'too-many-failed-attempts': {
      title: 'Pago no completado',
      text: 'Demasiados intentos fallidos. No se ha cobrado nada; puede empezar de nuevo.',
    },
    cancelled: { title: 'Pago cancelado', text: 'El pago se ha cancelado. No se ha cobrado nada.' },
    'internal-error': {
      title: 'Pago no completado',
      text: 'Algo ha fallado en la pasarela. No se ha cobrado nada.',
    },
    unknown: {
      title: 'Comprobando con el procesador',
      text: 'El procesador no ha confirmado si se cobró la tarjeta. No vuelva a cobrar: tonewall lo está consultando y esta pantalla cambiará cuando lo sepa.',
    },
  },
  roleNames: { agent: 'Agente', supervisor: 'Supervisor', auditor: 'Auditor', admin: 'Administrador' },
  readBack: { awaiting: 'El cliente está oyendo el importe: # confirma el pago, * lo cancela.' },
  orders: {
    untitled: 'Pedido',
    take: 'Cobrar',
    states: { open: 'Abierto', paid: 'Pagado', expired: 'Caducado' },
    takeLabel: 'Cobrar {what}, {amount}',
    arrived: 'Hay un pedido nuevo en la llamada: {what}, {amount}.',
    refused: {
      GW_ERR_ORDER_STATE: 'Este pedido ya está pagado o ha caducado: no se puede cobrar de nuevo.',
      GW_ERR_PAYMENT_ACTIVE: 'Ya hay un pago en curso en esta llamada.',
      GW_ERR_NOT_FOUND: 'Este pedido ya no está en la llamada.',
    },
  },
};

import type { DeskTexts } from './catalogue-types.js';

/** The agent desk in English (United States). */
export const DESK_EN_US: DeskTexts = {
  language: 'en-US',
  fieldNames: {
    'payment-card-number': 'Card number',
    'expiration-date': 'Expiration date',
    'security-code': 'Security code',
    'postal-code': 'ZIP code',
  },
  fieldHints: {
    'payment-card-number': 'The long number on the front of the card',
    'expiration-date': 'Month and year, four digits',
    'security-code': 'Three or four digits, usually on the back',
    'postal-code': 'Digits of the billing ZIP code',
  },
  statuses: {
    'in-progress': 'In progress',
    processing: 'Processing',
    unknown: 'Checking',
    succeeded: 'Approved',
    failed: 'Not charged',
    cancelled: 'Canceled',
  },
  problems: {
    'input-timeout': 'No digits for a while, so the field timed out. Ask the customer to enter it again.',
    'invalid-card-number': 'That card number is not valid. Ask the customer to check it and enter it again.',
    'invalid-card-type': 'That type of card is not accepted here. Ask for another card.',
    'invalid-date': 'That expiration date is not valid or has passed. Ask the customer to enter it again.',
    'invalid-security-code': 'That security code is not valid. Ask the customer to enter it again.',
    'invalid-postal-code': 'That ZIP code is not valid. Ask the customer to enter it again.',
    'too-many-failed-attempts': 'Too many attempts failed.',
    'caller-hung-up': 'The customer hung up.',
    'payment-connector-error': 'The payment processor could not be reached.',
  },
  outcomes: {
    success: {
      title: 'Payment approved',
      text: 'The card was charged. Read the confirmation code to the customer.',
    },
    declined: { title: 'Card declined', text: 'The bank declined the card. The customer was not charged.' },
    'payment-connector-error': {
      title: 'Payment not completed',
      text: 'The payment processor did not accept the payment. The customer was not charged; you can try again.',
    },
    'caller-hung-up': {
      title: 'Customer hung up',
      text: 'The call ended before the payment was complete. The customer was not charged.',
    },
    'too-many-failed-attempts': {
      title: 'Payment not completed',
      text: 'Too many attempts failed. The customer was not charged; you can start over.',
    },
    cancelled: { title: 'Payment canceled', text: 'The payment was canceled. The customer was not charged.' },
    'internal-error': {
      title: 'Payment not completed',
      text: 'Something went wrong in the gateway. The customer was not charged.',
    },
    unknown: {
      title: 'Checking with the processor',
      text: 'The processor did not confirm whether the card was charged. Do not take the payment again: tonewall is asking the processor, and this screen will change when it knows.',
    },
  },
  roleNames: { agent: 'Agent', supervisor: 'Supervisor', auditor: 'Auditor', admin: 'Admin' },
  readBack: { awaiting: 'The customer is hearing the amount: # confirms the payment, * cancels it.' },
  orders: {
    untitled: 'Order',
    take: 'Take payment',
    states: { open: 'Open', paid: 'Paid', expired: 'Expired' },
    takeLabel: 'Take payment for {what}, {amount}',
    arrived: 'A new order is on the call: {what}, {amount}.',
    refused: {
      GW_ERR_ORDER_STATE: 'This order has been paid or has expired: it cannot be taken again.',
      GW_ERR_PAYMENT_ACTIVE: 'A payment is already in progress on this call.',
      GW_ERR_NOT_FOUND: 'This order is no longer on the call.',
    },
  },
};

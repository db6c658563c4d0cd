import { z } from 'zod';
import { refuseCardNumbers } from '../../application/payments/card-number-text.js';
import type { OrderTerms, PaymentOrder } from '../../application/payments/order-book.js';
import { TOKEN_TYPES } from '../../application/payments/processor-connector.js';
import { parseBody } from './parse-body.js';
import { createPaymentSchema } from './payment-schemas.js';

/** POST /v1/calls/{callId}/orders: an integration's terms for a payment an agent takes on the call. */
export const createOrderSchema = z
  .object({
    chargeAmount: createPaymentSchema.shape.chargeAmount.unwrap(),
    currency: createPaymentSchema.shape.currency.unwrap(),
    description: z.string().max(255).optional(),
    tokenType: z.enum(TOKEN_TYPES).default('one-time'),
    statusCallback: createPaymentSchema.shape.statusCallback,
    /** How long the order may be taken, s (default an hour). */
    ttlSeconds: z.number().int().min(60).max(86_400).default(3600),
  })
  .strict();

/**
 * The terms of a new order. A description holding a card number is refused here, when the order is
 * made, as a payment's is: the agent's desk lists an order's description before any payment starts.
 */
export function parseCreateOrder(body: unknown): { terms: OrderTerms; ttlMs: number } {
  const order = parseBody(createOrderSchema, body);
  refuseCardNumbers({ description: order.description });
  return {
    terms: {
      chargeAmount: order.chargeAmount,
      currency: order.currency,
      tokenType: order.tokenType,
      ...(order.description === undefined ? {} : { description: order.description }),
      ...(order.statusCallback === undefined ? {} : { statusCallback: order.statusCallback }),
    },
    ttlMs: order.ttlSeconds * 1000,
  };
}

/** What a person sees of an order: the terms to read to the customer, not where the status goes. */
export function orderForPeople(order: PaymentOrder) {
  const { statusCallback: _callback, createdBy: _by, ...shown } = order;
  return shown;
}

/** An order as the API answers it (people: without `statusCallback` and `createdBy`). */
export const orderSchema = z
  .object({
    id: z.string(),
    callId: z.string(),
    chargeAmount: z.string(),
    currency: z.string(),
    description: z.string().optional(),
    tokenType: z.enum(TOKEN_TYPES),
    statusCallback: z.string().optional().meta({ description: 'Integrations only.' }),
    createdBy: z.string().optional().meta({ description: 'Integrations only: the key that made it.' }),
    createdAt: z.string(),
    expiresAt: z.string(),
    state: z.enum(['open', 'paid', 'expired']),
  })
  .meta({ id: 'Order' });

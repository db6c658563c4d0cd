import { z } from 'zod';
import type { LookupResult } from '../../application/payments/processor-connector.js';
import { declined } from './map-processor-reply.js';

/** A PaymentIntent as the search answers it, with its payment method expanded. */
export const searchedIntentSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  latest_charge: z.union([z.string(), z.object({ id: z.string() }), z.null()]).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  payment_method: z
    .union([
      z.object({
        id: z.string().min(1),
        card: z.object({ last4: z.string().regex(/^\d{4}$/), brand: z.string().min(1).max(32).optional() }),
      }),
      z.string(),
      z.null(),
    ])
    .optional(),
  last_payment_error: z
    .object({ code: z.string().optional(), decline_code: z.string().optional() })
    .nullable()
    .optional(),
});
export type SearchedIntent = z.infer<typeof searchedIntentSchema>;

/** The search query for the intents of one payment; Stripe's query strings escape `'` and `\` with `\`. */
export function intentSearchQuery(paymentId: string): string {
  return `metadata['paymentId']:'${paymentId.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

const MONEY = new Set(['succeeded', 'requires_capture']);

/**
 * What the PaymentIntents of one request say (docs/processor-protocol.md section 7.3). Intents of
 * the payment made under another idempotency key are not this request's. Money wins: a succeeded
 * intent over a processing one over a decline; canceled, requires_confirmation or none: nothing.
 * `undefined` when a succeeded intent lacks its expanded payment method (the caller's protocol error).
 */
export function lookupFromIntents(
  intents: readonly SearchedIntent[],
  idempotencyKey: string,
): { readonly found: LookupResult | undefined; readonly succeeded: number } {
  const mine = intents.filter((intent) => {
    const key = intent.metadata?.idempotencyKey;
    return key === undefined || key === idempotencyKey;
  });
  const paid = mine.filter((intent) => MONEY.has(intent.status));
  const [first] = paid;
  if (first) {
    const method = first.payment_method;
    if (typeof method !== 'object' || method === null) return { found: undefined, succeeded: paid.length };
    const charge = first.latest_charge;
    return {
      succeeded: paid.length,
      found: {
        found: 'result',
        result: {
          outcome: 'success',
          token: method.id,
          last4: method.card.last4,
          ...(method.card.brand === undefined ? {} : { brand: method.card.brand }),
          chargeId: first.id,
          confirmationCode: (typeof charge === 'string' ? charge : charge?.id) ?? first.id,
        },
      },
    };
  }
  if (mine.some((intent) => intent.status === 'processing'))
    return { found: { found: 'pending' }, succeeded: 0 };
  const refused = mine.find((intent) => intent.status === 'requires_payment_method');
  if (refused) {
    const error = refused.last_payment_error;
    return { found: { found: 'result', result: declined(error?.decline_code ?? error?.code) }, succeeded: 0 };
  }
  if (mine.some((intent) => intent.status === 'requires_action')) {
    return { found: { found: 'result', result: declined('authentication_required') }, succeeded: 0 };
  }
  return { found: { found: 'nothing' }, succeeded: 0 };
}

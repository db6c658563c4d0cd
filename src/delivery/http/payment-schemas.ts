import { z } from 'zod';
import type { PaymentRequest } from '../../application/payments/payment-service.js';
import { TOKEN_TYPES } from '../../application/payments/processor-connector.js';
import { CAPTURE_LIMITS } from '../../domain/capture/capture-settings.js';
import { CAPTURE_FIELDS, CAPTURE_MODES } from '../../domain/capture/capture-types.js';
import { CARD_BRANDS } from '../../domain/card/card-brand.js';
import { LANGUAGES } from '../../domain/language/languages.js';
import { GatewayError } from '../../errors.js';
import { parseBody } from './parse-body.js';

/** POST /v1/calls/{callId}/payments (names as in Twilio's Payments API, camel-cased). */
export const createPaymentSchema = z
  .object({
    idempotencyKey: z.string().min(1).max(255),
    chargeAmount: z
      .string()
      .regex(/^\d{1,12}(\.\d{1,3})?$/, 'must be a decimal amount such as "10.00"')
      .optional(),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code')
      .transform((code) => code.toLowerCase())
      .optional(),
    description: z.string().max(255).optional(),
    paymentMethod: z.literal('credit-card').optional(),
    tokenType: z.enum(TOKEN_TYPES).default('one-time'),
    validCardTypes: z
      .array(z.enum(CARD_BRANDS))
      .min(1)
      .max(CARD_BRANDS.length)
      .optional()
      .meta({
        description:
          'The brands accepted (default: all). A card has one brand, that of the most specific IIN prefix ' +
          'that holds its number (an elo card in a range inside visa’s 4 is elo), and is taken only when ' +
          'that brand is listed; else invalid-card-type.',
      }),
    securityCode: z.boolean().optional(),
    postalCode: z.boolean().optional(),
    readBack: z.boolean().optional().meta({
      description:
        'With a chargeAmount: once every field is valid the customer hears the amount and currency in their language and presses # to confirm (then the charge) or * to cancel. Default: the gateway’s TONEWALL_AMOUNT_READBACK (on) when it plays prompts; never without prompts.',
    }),
    language: z.enum(LANGUAGES).optional().meta({
      description:
        'The language the customer hears the prompts in (default: the gateway’s TONEWALL_DEFAULT_LANGUAGE).',
    }),
    /** Seconds to wait for each further digit (Twilio's Timeout). */
    timeout: z
      .number()
      .int()
      .min(CAPTURE_LIMITS.timeoutMs.min / 1000)
      .max(CAPTURE_LIMITS.timeoutMs.max / 1000)
      .optional(),
    maxAttempts: z
      .number()
      .int()
      .min(CAPTURE_LIMITS.maxAttempts.min)
      .max(CAPTURE_LIMITS.maxAttempts.max)
      .optional(),
    captureMode: z.enum(CAPTURE_MODES).optional(),
    statusCallback: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
    /** An integration's order on the call (orders-routes.ts): amount, currency, token type and callback come from it. */
    orderId: z
      .string()
      .regex(/^PO[A-Za-z0-9]{1,62}$/)
      .optional(),
  })
  .strict();

/** What an order sets: a body with `orderId` may not set these too. */
export const ORDER_SETS = ['chargeAmount', 'currency', 'tokenType', 'statusCallback', 'description'] as const;

export const updatePaymentSchema = z.union([
  z.object({ capture: z.enum(CAPTURE_FIELDS) }).strict(),
  z.object({ status: z.enum(['complete', 'cancel']) }).strict(),
]);

export type PaymentUpdateRequest = z.infer<typeof updatePaymentSchema>;

export function parseCreatePayment(body: unknown): PaymentRequest & { readonly orderId?: string } {
  const request = parseBody(createPaymentSchema, body);
  if (request.orderId !== undefined) {
    const both = ORDER_SETS.filter((name) => Object.hasOwn(body as object, name));
    if (both.length > 0) {
      throw new GatewayError(
        'GW_ERR_INVALID_BODY',
        `"${both[0]}" comes from the order: leave it out with "orderId"`,
      );
    }
  }
  return {
    ...(request.orderId === undefined ? {} : { orderId: request.orderId }),
    idempotencyKey: request.idempotencyKey,
    tokenType: request.tokenType,
    ...(request.chargeAmount === undefined ? {} : { chargeAmount: request.chargeAmount }),
    ...(request.currency === undefined ? {} : { currency: request.currency }),
    ...(request.description === undefined ? {} : { description: request.description }),
    ...(request.statusCallback === undefined ? {} : { statusCallback: request.statusCallback }),
    ...(request.language === undefined ? {} : { language: request.language }),
    ...(request.readBack === undefined ? {} : { readBack: request.readBack }),
    settings: {
      ...(request.validCardTypes === undefined ? {} : { validCardTypes: request.validCardTypes }),
      ...(request.securityCode === undefined ? {} : { securityCode: request.securityCode }),
      ...(request.postalCode === undefined ? {} : { postalCode: request.postalCode }),
      ...(request.timeout === undefined ? {} : { interDigitTimeoutMs: request.timeout * 1000 }),
      ...(request.maxAttempts === undefined ? {} : { maxAttempts: request.maxAttempts }),
      ...(request.captureMode === undefined ? {} : { captureMode: request.captureMode }),
    },
  };
}

export function parseUpdatePayment(body: unknown): PaymentUpdateRequest {
  return parseBody(updatePaymentSchema, body);
}

import { z } from 'zod';
import { TOKEN_TYPES } from '../../application/payments/processor-connector.js';

/**
 * The connector's side of the generic HTTPS/JWE processor protocol (docs/processor-protocol.md): it
 * writes requests and reads replies. The sandbox processor has its own reading, written from the doc.
 *
 *   POST {url}   Content-Type: application/jose   Idempotency-Key: <key>
 *   body: compact JWE (alg RSA-OAEP-256, enc A256GCM, kid = processor key id) of a CardPayload,
 *         bound to its request by idempotencyKey, iat and jti
 *   200  TokenReply                 402  ErrorReply with type "card_error" (a decline)
 *   4xx  ErrorReply (refusal)       5xx  ErrorReply (processor fault, retry with the same key)
 *
 *   GET {url}/{percent-encoded key}   (lookup: what the processor did under the key; no card data)
 *   200  TokenReply   402  decline   202  still processing
 *   404  ErrorReply code "no_such_request"   410  ErrorReply code "request_failed" (nothing charged)
 */

export const JWE_ALGORITHM = 'RSA-OAEP-256';
export const JWE_ENCRYPTION = 'A256GCM';
export const JWE_MEDIA_TYPE = 'application/jose';

/** A run of 13 or more digits anywhere: what a PAN looks like. Identifiers must not contain one. */
const PAN_LIKE = /\d{13,}/;
const identifier = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !PAN_LIKE.test(value), 'must not contain a long run of digits');

/** The plaintext inside the JWE. */
export const cardPayloadSchema = z
  .object({
    paymentId: identifier(128),
    /** The request's Idempotency-Key header, repeated inside the encryption. */
    idempotencyKey: identifier(255),
    /** Issued at: whole seconds since the epoch, from the connector's clock. */
    iat: z.number().int().min(0),
    /** A fresh id per tokenisation (one JWE, re-sent unchanged on every retry). */
    jti: identifier(64),
    card: z
      .object({
        number: z.string().regex(/^\d{12,19}$/),
        expMonth: z.number().int().min(1).max(12),
        expYear: z.number().int().min(2000).max(2199),
        securityCode: z
          .string()
          .regex(/^\d{3,4}$/)
          .optional(),
        postalCode: z.string().min(1).max(16).optional(),
      })
      .strict(),
    chargeAmount: z.string().max(32).optional(),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/)
      .optional(),
    description: z.string().max(500).optional(),
    tokenType: z.enum(TOKEN_TYPES),
  })
  .strict();
export type CardPayload = z.infer<typeof cardPayloadSchema>;

export const tokenReplySchema = z.object({
  token: identifier(255),
  last4: z.string().regex(/^\d{4}$/),
  brand: z.string().min(1).max(32).optional(),
  chargeId: identifier(255).optional(),
  confirmationCode: identifier(64).optional(),
});
export type TokenReply = z.infer<typeof tokenReplySchema>;

export const errorReplySchema = z.object({
  error: z.object({
    type: z.string().max(64).optional(),
    code: z.string().max(64).optional(),
    declineCode: z.string().max(64).optional(),
    message: z.string().max(500).optional(),
  }),
});
export type ErrorReply = z.infer<typeof errorReplySchema>;

/** Lookup answers that are not a TokenReply or a decline (docs/processor-protocol.md, section 7). */
export const LOOKUP = Object.freeze({
  pendingStatus: 202,
  noSuchRequest: { status: 404, code: 'no_such_request' },
  requestFailed: { status: 410, code: 'request_failed' },
});

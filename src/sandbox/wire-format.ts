import { z } from 'zod';

/**
 * The processor's side of the tonewall processor protocol, written from docs/processor-protocol.md
 * (not from the gateway's connector, which this sandbox is there to check):
 *
 *   POST /v1/tokens   Content-Type: application/jose   Idempotency-Key: <key>   (mutual TLS)
 *   body: compact JWE, RSA-OAEP-256 + A256GCM, kid = RFC 7638 thumbprint (jwk-thumbprint.ts)
 *   200 TokenReply   402 ErrorReply type "card_error"   4xx ErrorReply   5xx ErrorReply
 *   the payload repeats the Idempotency-Key and carries `iat` (seconds) and `jti` (section 4.1)
 *
 *   GET /v1/tokens/{key}   (lookup, section 7)   200 TokenReply   402 decline   202 processing
 *   404 "no_such_request"   410 "request_failed" (the request failed; nothing was charged)
 */
export const PROTOCOL = Object.freeze({
  keyManagement: 'RSA-OAEP-256',
  contentEncryption: 'A256GCM',
  mediaType: 'application/jose',
  /** Spec 4.1: how far `iat` may be from the processor's clock, either way, in seconds. */
  iatWindowSeconds: 300,
});

/** Spec, "Identifiers": never a run of 13 or more digits (what a card number looks like). */
const noDigitRun = (text: string) => !/[0-9]{13}/.test(text);
const id = (longest: number) =>
  z.string().min(1).max(longest).refine(noDigitRun, 'must not contain a long run of digits');

/** Spec, "The card payload": the JSON inside the JWE; a field not listed is refused. */
export const cardPayloadSchema = z
  .object({
    paymentId: id(128),
    idempotencyKey: id(255),
    iat: z.number().int().gte(0),
    jti: id(64),
    card: z
      .object({
        number: z.string().regex(/^[0-9]{12,19}$/),
        expMonth: z.number().int().gte(1).lte(12),
        expYear: z.number().int().gte(2000).lte(2199),
        securityCode: z
          .string()
          .regex(/^[0-9]{3,4}$/)
          .optional(),
        postalCode: z.string().min(1).max(16).optional(),
      })
      .strict(),
    chargeAmount: z.string().max(32).optional(),
    currency: z
      .string()
      .regex(/^[a-zA-Z]{3}$/)
      .optional(),
    description: z.string().max(500).optional(),
    tokenType: z.enum(['one-time', 'reusable']),
  })
  .strict();
export type CardPayload = z.infer<typeof cardPayloadSchema>;

/** Spec, "200: the token". */
export interface TokenReply {
  readonly token: string;
  readonly last4: string;
  readonly brand?: string;
  readonly chargeId?: string;
  readonly confirmationCode?: string;
}

/** Spec, "Errors and declines": every non-200 answer carries one. */
export interface ErrorReply {
  readonly error: {
    readonly type: 'card_error' | 'invalid_request_error' | 'idempotency_error' | 'api_error';
    readonly code: string;
    readonly declineCode?: string;
    readonly message?: string;
  };
}

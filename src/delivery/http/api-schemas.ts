import { z } from 'zod';
import { ROLES } from '../../application/access/principal.js';
import {
  CAPTURE_FIELDS,
  ERROR_TYPES,
  OUTCOMES,
  PAYMENT_STATUSES,
} from '../../domain/capture/capture-types.js';
import { CARD_BRANDS } from '../../domain/card/card-brand.js';
import { ERROR_CODES } from '../../errors.js';

/**
 * The shapes the API answers with (DESIGN.md's public contract), for docs/openapi.json. The routes
 * build their replies from the application's types; the OpenAPI contract test checks every reply the
 * API tests receive against these.
 */

export const errorSchema = z
  .object({
    error: z
      .object({
        code: z.enum(ERROR_CODES),
        message: z.string().meta({ description: 'Names a field, never its value.' }),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'Error', description: 'Every error; a 500 message carries the request id.' });

export const callSchema = z
  .object({
    id: z.string(),
    sipCallId: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    customer: z.string(),
    agent: z.string().meta({ description: 'Empty while the call is in its `ivr` phase.' }),
    answeredAt: z.string(),
    masking: z.enum(['on', 'off']),
    phase: z.enum(['ivr', 'agent']).meta({
      description:
        '`ivr`: with TONEWALL_MASKING_FROM=agent, the PBX answered and no agent is connected yet (keys reach the PBX, no payment may start); `agent`: an agent has the call, masking holds from here (docs/calls.md).',
    }),
  })
  .strict()
  .meta({ id: 'Call' });

/** PUT /v1/calls/{id}/agent: the agent's id as the PBX would send it in X-Agent-Id. */
export const assignAgentSchema = z
  .object({ agentId: z.string().regex(/^[A-Za-z0-9._@-]{1,128}$/, 'letters, digits and . _ @ - only') })
  .strict()
  .meta({ id: 'AssignAgent' });

const nextCursor = z.string().optional().meta({
  description: 'Present when there are more: pass it as `cursor` for the next page.',
});

export const callListSchema = z
  .object({ calls: z.array(callSchema), nextCursor })
  .strict()
  .meta({ id: 'CallList' });

const captureField = z.enum(CAPTURE_FIELDS);
const cardBrand = z.enum(CARD_BRANDS);

const fieldViewSchema = z
  .object({
    state: z.enum(['pending', 'capturing', 'captured']),
    digits: z.number().int().min(0),
    masked: z.string().regex(/^\**\d{0,4}$/),
    brand: cardBrand.optional(),
    valid: z.boolean().optional(),
  })
  .strict();

const resultSchema = z.union([
  z
    .object({
      outcome: z.literal('success'),
      token: z.string().optional().meta({ description: "The processor's token: integrations only." }),
      last4: z.string().regex(/^\d{4}$/),
      brand: cardBrand,
      expMonth: z.number().int().min(1).max(12).optional().meta({ description: 'Integrations only.' }),
      expYear: z.number().int().optional().meta({ description: 'Integrations only.' }),
      confirmationCode: z.string(),
    })
    .strict(),
  z
    .object({
      outcome: z.enum(OUTCOMES.filter((outcome) => outcome !== 'success')),
      declineCode: z.string().optional(),
      reason: z.string().optional(),
    })
    .strict(),
]);

export const paymentSchema = z
  .object({
    id: z.string(),
    callId: z.string(),
    status: z.enum(PAYMENT_STATUSES),
    capture: captureField.nullable(),
    required: z.array(captureField),
    fields: z.partialRecord(captureField, fieldViewSchema),
    errorType: z.enum(ERROR_TYPES).optional(),
    result: resultSchema.optional(),
    readBack: z.enum(['awaiting', 'confirmed']).optional().meta({
      description:
        'The amount was said to the customer in their language: awaiting # (confirm) or * (cancel), then confirmed. Payments with a charge only.',
    }),
  })
  .strict()
  .meta({
    id: 'Payment',
    description:
      'The agent view: no card digits, last 4 once the number is valid; the token and expiry only to integration keys.',
  });

export const paymentStatusSchema = z
  .object({
    id: z.string(),
    callId: z.string(),
    agent: z.string(),
    status: z.enum(PAYMENT_STATUSES),
    capture: captureField.nullable(),
    outcome: z.enum(OUTCOMES).optional(),
    startedAt: z.string(),
    updatedAt: z.string(),
  })
  .strict()
  .meta({ id: 'PaymentStatus' });

export const paymentListSchema = z
  .object({ payments: z.array(paymentStatusSchema), nextCursor })
  .strict()
  .meta({ id: 'PaymentList' });

export const sessionSchema = z
  .object({
    user: z.union([
      z
        .object({ kind: z.literal('integration'), name: z.string(), roles: z.array(z.string()).max(0) })
        .strict(),
      z
        .object({
          kind: z.literal('user'),
          name: z.string(),
          displayName: z.string(),
          roles: z.array(z.enum(ROLES)),
          agentId: z.string().optional(),
          source: z.enum(['local', 'idp']),
        })
        .strict(),
    ]),
    csrfToken: z.string().nullable(),
    expiresAt: z.string().nullable(),
    mfa: z.enum(['required', 'off']).meta({
      description: '`off`: local sign-in asks no one-time code of users who have not enrolled (demo only).',
    }),
    paymentLimits: z
      .object({ maxAmount: z.string(), currencies: z.array(z.string()) })
      .strict()
      .optional()
      .meta({
        description: 'What a person may start a payment with (TONEWALL_AGENT_MAX_AMOUNT, _CURRENCIES).',
      }),
  })
  .strict()
  .meta({ id: 'Session' });

export const signInSchema = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(1024),
    code: z
      .string()
      .max(16)
      .optional()
      .meta({ description: 'The 6-digit code of the authenticator app (TOTP), once enrolled.' }),
  })
  .strict()
  .meta({ id: 'SignIn' });

export const enrolmentRequestSchema = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) })
  .strict()
  .meta({ id: 'AuthenticatorEnrolmentRequest' });

export const enrolmentSchema = z
  .object({
    secret: z.string().meta({ description: 'The TOTP shared secret (base32), for typing into the app.' }),
    uri: z.string().meta({ description: 'The same as an `otpauth://` URI (for a QR code).' }),
    expiresAt: z.string().meta({ description: 'Sign in with a code from it before this, or start again.' }),
  })
  .strict()
  .meta({ id: 'AuthenticatorEnrolment' });

export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;

/** `?limit=&cursor=` on the lists; other query parameters are left to the route. */
export const pageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .default(DEFAULT_PAGE)
    .meta({ description: `Items a page, 1–${MAX_PAGE}.` }),
  cursor: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page (opaque).' }),
});

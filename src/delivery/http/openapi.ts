import { Router } from 'express';
import { z } from 'zod';
import { createDocument, type ZodOpenApiResponsesObject } from 'zod-openapi';
import {
  assignAgentSchema,
  callListSchema,
  callSchema,
  enrolmentRequestSchema,
  enrolmentSchema,
  errorSchema,
  pageQuerySchema,
  paymentListSchema,
  paymentSchema,
  sessionSchema,
  signInSchema,
} from './api-schemas.js';
import { createOrderSchema, orderSchema } from './order-schemas.js';
import { createPaymentSchema, updatePaymentSchema } from './payment-schemas.js';

const id = z.string().regex(/^[A-Za-z0-9]{1,64}$/);
const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const requestIdHeader = z.string().meta({
  description: 'The request id: the caller’s `X-Request-Id` when it is 1–64 of [A-Za-z0-9-], else a UUID.',
});
const retryAfterHeader = z.string().regex(/^\d+$/).meta({ description: 'Seconds to wait before retrying.' });

type ErrorStatus = '400' | '401' | '403' | '404' | '409' | '500' | '503';

/**
 * Every operation may answer 400 (a body that is not JSON, even on a GET), 401, 500 and 503 (the
 * identity provider's keys cannot be fetched to check a bearer JWT; a refusal on the changes).
 */
function errors(...statuses: Array<'403' | '404' | '409'>): ZodOpenApiResponsesObject {
  const described: Record<ErrorStatus, string> = {
    '400': 'GW_ERR_INVALID_BODY (or GW_ERR_INVALID_AMOUNT): the request failed validation.',
    '401':
      'GW_ERR_UNAUTHORIZED: no valid credentials (sign-in: or GW_ERR_MFA_REQUIRED, GW_ERR_MFA_FAILED, GW_ERR_MFA_ENROL).',
    '403': 'GW_ERR_FORBIDDEN or GW_ERR_CSRF (sign-in: or GW_ERR_ACCOUNT_LOCKED).',
    '404': 'GW_ERR_NOT_FOUND.',
    '409':
      'GW_ERR_PAYMENT_ACTIVE, GW_ERR_PAYMENT_STATE, GW_ERR_IDEMPOTENCY_CONFLICT, GW_ERR_MASKING_OFF, GW_ERR_ORDER_STATE or GW_ERR_MFA_ENROLLED.',
    '500': 'GW_ERR_INTERNAL; the message carries the request id.',
    '503':
      'GW_ERR_STOPPING, GW_ERR_AUDIT_WRITE, GW_ERR_DTMF_SOCKET, GW_ERR_OVERLOADED, GW_ERR_STATE_STORE, GW_ERR_IDP_UNAVAILABLE or GW_ERR_CALL_CONTROL, with `Retry-After`.',
  };
  const responses: ZodOpenApiResponsesObject = {};
  const all: ErrorStatus[] = ['400', '401', ...statuses, '500', '503'];
  for (const status of all) {
    responses[status] = {
      ...json(errorSchema, described[status]),
      headers: z.object({
        'X-Request-Id': requestIdHeader,
        ...(status === '503' ? { 'Retry-After': retryAfterHeader } : {}),
      }),
    };
  }
  return responses;
}

const ok = (schema: z.ZodType, description: string) => ({
  ...json(schema, description),
  headers: z.object({ 'X-Request-Id': requestIdHeader }),
});

/**
 * The API's OpenAPI 3.1 document, generated from the zod schemas the routes parse with and the reply
 * shapes in api-schemas.ts (zod-openapi). `scripts/openapi.ts` writes it to docs/openapi.json; a test
 * fails when the two differ.
 */
export function openApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'tonewall gateway API',
      version: '1',
      description:
        'PCI-DSS DTMF card-payment capture. Every call but this document needs `Authorization: Bearer <token or integration key>` (or the session cookie of the agent desktop, with `X-CSRF-Token` on changes). Every response carries `X-Request-Id`.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'tonewall-session',
          description: 'The agent desktop’s session (`__Host-tonewall-session` over TLS).',
        },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths: {
      '/v1/openapi.json': {
        get: {
          summary: 'This document (no credentials needed).',
          security: [],
          responses: { '200': { description: 'The OpenAPI document.', content: { 'application/json': {} } } },
        },
      },
      '/v1/session': {
        get: {
          summary: 'Who is signed in, and the session’s CSRF token.',
          responses: { '200': ok(sessionSchema, 'The caller.'), ...errors() },
        },
        post: {
          summary: 'Sign in with the local users file (same origin only; throttled).',
          security: [],
          requestBody: { content: { 'application/json': { schema: signInSchema } } },
          responses: {
            '201': ok(sessionSchema, 'Signed in; the session cookie is set.'),
            '429': {
              ...json(errorSchema, 'GW_ERR_RATE_LIMITED, with `Retry-After`.'),
              headers: z.object({ 'X-Request-Id': requestIdHeader, 'Retry-After': retryAfterHeader }),
            },
            ...errors('403', '404'),
          },
        },
        delete: {
          summary: 'Sign out.',
          responses: {
            '204': { description: 'Signed out.', headers: z.object({ 'X-Request-Id': requestIdHeader }) },
            ...errors('403'),
          },
        },
      },
      '/v1/session/authenticator': {
        post: {
          summary:
            'A new authenticator (TOTP) key for a local user who has none, after their password; sign in with a code from it within 10 minutes to keep it (same origin only; throttled like sign-in).',
          security: [],
          requestBody: { content: { 'application/json': { schema: enrolmentRequestSchema } } },
          responses: {
            '201': ok(enrolmentSchema, 'The key, shown to its user once.'),
            '429': {
              ...json(errorSchema, 'GW_ERR_RATE_LIMITED, with `Retry-After`.'),
              headers: z.object({ 'X-Request-Id': requestIdHeader, 'Retry-After': retryAfterHeader }),
            },
            ...errors('403', '404', '409'),
          },
        },
      },
      '/v1/calls': {
        get: {
          summary: 'Active calls the caller may see (agents: their own), oldest answered first.',
          requestParams: { query: pageQuerySchema },
          responses: { '200': ok(callListSchema, 'A page of calls.'), ...errors('403') },
        },
      },
      '/v1/calls/{callId}/agent': {
        put: {
          summary:
            'Name the call’s agent, as the PBX would with a re-INVITE: after an IVR (TONEWALL_MASKING_FROM=agent) masking goes on in the call path first; another agent is a transfer (its payment in progress is cancelled). Integration keys with `calls:write`, admins.',
          requestParams: { path: z.object({ callId: id }) },
          requestBody: { content: { 'application/json': { schema: assignAgentSchema } } },
          responses: { '200': ok(callSchema, 'The call, now with its agent.'), ...errors('403', '404') },
        },
      },
      '/v1/calls/{callId}/payments': {
        post: {
          summary: 'Start a payment on the call (idempotent by `idempotencyKey`).',
          requestParams: { path: z.object({ callId: id }) },
          requestBody: { content: { 'application/json': { schema: createPaymentSchema } } },
          responses: {
            '200': ok(paymentSchema, 'The payment this idempotency key started before.'),
            '201': ok(paymentSchema, 'The payment started.'),
            '421': {
              ...json(
                errorSchema,
                'GW_ERR_OTHER_GATEWAY: with a pair of gateways, the call’s media runs through the other gateway’s chain; the message names the gateway to start it on.',
              ),
              headers: z.object({ 'X-Request-Id': requestIdHeader }),
            },
            ...errors('403', '404', '409'),
          },
        },
      },
      '/v1/calls/{callId}/orders': {
        post: {
          summary:
            'An integration’s order on the call: amount, currency, token type and status callback for a payment the call’s agent then starts with `orderId` (integration keys only, `payments:write`).',
          requestParams: { path: z.object({ callId: id }) },
          requestBody: { content: { 'application/json': { schema: createOrderSchema } } },
          responses: {
            '201': ok(z.object({ order: orderSchema }), 'The order.'),
            ...errors('403', '404', '409'),
          },
        },
        get: {
          summary: 'The call’s orders (its agent, supervisors, integrations).',
          requestParams: { path: z.object({ callId: id }) },
          responses: {
            '200': ok(z.object({ orders: z.array(orderSchema) }), 'The orders.'),
            ...errors('403', '404'),
          },
        },
      },
      '/v1/payments': {
        get: {
          summary: 'Payment status for supervisors (every payment) and agents (their own), newest first.',
          requestParams: {
            query: pageQuerySchema.extend({
              active: z
                .enum(['true', 'false'])
                .optional()
                .meta({ description: '`true`: live payments only.' }),
            }),
          },
          responses: { '200': ok(paymentListSchema, 'A page of payments.'), ...errors('403') },
        },
      },
      '/v1/payments/{paymentId}': {
        get: {
          summary: 'The payment’s agent view.',
          requestParams: { path: z.object({ paymentId: id }) },
          responses: { '200': ok(paymentSchema, 'The payment.'), ...errors('403', '404') },
        },
        post: {
          summary: 'Capture a field next, or complete or cancel the payment.',
          requestParams: { path: z.object({ paymentId: id }) },
          requestBody: { content: { 'application/json': { schema: updatePaymentSchema } } },
          responses: {
            '200': ok(paymentSchema, 'The payment after the change.'),
            ...errors('403', '404', '409'),
          },
        },
      },
      '/v1/payments/{paymentId}/events': {
        get: {
          summary: 'Server-sent events: `event: payment`, `data:` the payment (agent view), until it ends.',
          requestParams: { path: z.object({ paymentId: id }) },
          responses: {
            '200': {
              description: 'The event stream; frame 0 is the current view.',
              content: { 'text/event-stream': { schema: z.string() } },
            },
            ...errors('403', '404'),
          },
        },
      },
      '/v1/audit/report': {
        get: {
          summary: 'The auditor’s self-contained HTML report for [from, to) (default: the last 30 days).',
          requestParams: { query: z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() }) },
          responses: {
            '200': {
              description: 'The report.',
              content: { 'text/html': { schema: z.string() } },
              headers: z.object({ 'X-Request-Id': requestIdHeader }),
            },
            ...errors('403', '404'),
          },
        },
      },
    },
  });
}

/** The document as served (docs/openapi.json holds the same document, formatted by biome). */
export function openApiDocumentText(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

/** `GET /v1/openapi.json`: the document, to anyone (it holds no data, only the API's shape). */
export function openApiRoutes(): Router {
  const router = Router();
  const body = openApiDocumentText();
  router.get('/v1/openapi.json', (_request, response) => {
    response.type('application/json').send(body);
  });
  return router;
}

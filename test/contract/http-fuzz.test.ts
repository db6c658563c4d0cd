/**
 * Hostile input on every endpoint of the HTTP app (in process, as http-payments.test.ts): random
 * methods, paths, ids, headers and bodies — malformed JSON, wrong types, unknown fields, huge
 * bodies. Every answer is below 500; every 4xx is `{error: {code: GW_ERR_*}}`; the server keeps
 * answering and logs no failed request.
 */

import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../src/adapters/metrics/gateway-metrics.js';
import { systemClock } from '../../src/application/clock.js';
import { createHttpApp } from '../../src/delivery/http/app.js';
import { parseCreatePayment } from '../../src/delivery/http/payment-schemas.js';
import { answeredEvent } from '../support/call-fixtures.js';
import {
  keysOnlyAccess,
  type ListeningApp,
  listenOnLoopback,
  paymentCore,
} from '../support/in-process-app.js';
import { captureLogs } from '../support/log-capture.js';
import { type RecordedResponse, recordResponses, undocumented } from './openapi/documented-responses.js';

const key = 'integration-key-for-fuzz-0001';
const logs = captureLogs('warn');
const { registry, payments } = paymentCore(logs.logger);
const metrics = new GatewayMetrics({
  calls: () => registry.list(),
  paymentsActive: () => payments.activeCount,
  dtmf: () => ({
    accepted: 0,
    duplicate: 0,
    'dropped-source': 0,
    overflow: 0,
    malformed: 0,
    'agent-ignored': 0,
    'unknown-call': 0,
    'unknown-tag': 0,
  }),
  evapiConnected: () => true,
  auditHealthy: () => true,
});
const callIds: string[] = [];
const paymentIds: string[] = [];
let app: ListeningApp;
let responses: RecordedResponse[] = [];
let port: number;

beforeAll(async () => {
  for (let i = 0; i < 20; i += 1) {
    const call = registry.answered(answeredEvent(`sip-fuzz-${i}`));
    callIds.push(call.id);
    if (i < 5)
      paymentIds.push(payments.create(call.id, parseCreatePayment({ idempotencyKey: `k${i}` })).view.id);
  }
  app = await listenOnLoopback(
    createHttpApp({
      clock: systemClock,
      logger: logs.logger,
      registry,
      payments,
      webhooksEnabled: false,
      access: keysOnlyAccess([key]),
      health: { probe: () => ({ status: 'up' }) },
      metrics: { metrics, token: undefined },
      auditReport: async () => '<html></html>',
    }),
  );
  responses = recordResponses(app.server);
  port = app.port;
});
afterAll(() => app.close());

interface Probe {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

/** One raw request; an event stream is read up to its headers, then dropped. */
function send(probe: Probe): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: probe.method,
        path: probe.path,
        headers: probe.headers,
        timeout: 5000,
      },
      (response) => {
        const type = String(response.headers['content-type'] ?? '');
        if (type.startsWith('text/event-stream')) {
          response.destroy();
          resolve({ status: response.statusCode ?? 0, type, body: '' });
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, type, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${probe.method} ${probe.path}`)));
    req.on('error', reject);
    if (probe.body !== undefined) req.write(probe.body);
    req.end();
  });
}

const oddText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.stringMatching(/^[A-Za-z0-9]{1,70}$/),
  fc.constantFrom('..', '%2e%2e', '%ZZ', '%E0%A4%A', '%00', 'ÿ', '4242424242424242', '-1', 'null', ' '),
);
const id = fc.oneof(
  fc.nat({ max: 19 }).map((index) => callIds[index] ?? 'x'),
  fc.constant('CA0'),
  fc.constant('PK0'),
  oddText,
);

const pathArbitrary = fc.oneof(
  fc.constantFrom(
    '/v1/calls',
    '/v1/payments',
    '/v1/payments?active=true',
    '/v1/session',
    '/metrics',
    '/healthz',
    '/',
    '/v1',
    '/v1/',
  ),
  fc
    .tuple(fc.oneof(id, fc.constant('CALL')), fc.constant('/payments'))
    .map(([value]) =>
      value === 'CALL' ? `/v1/calls/${callIds[0]}/payments` : `/v1/calls/${encodeURI(value)}/payments`,
    ),
  fc
    .tuple(id, fc.constantFrom('', '/events', '/x'))
    .map(([value, tail]) => `/v1/payments/${encodeURI(value)}${tail}`),
  fc.nat({ max: 4 }).map((index) => `/v1/payments/${paymentIds[index] ?? 'PK'}`),
  fc
    .tuple(oddText, oddText)
    .map(([from, to]) => `/v1/audit/report?from=${encodeURI(from)}&to=${encodeURI(to)}`),
  fc
    .array(oddText, { minLength: 1, maxLength: 5 })
    .map((segments) => `/${segments.map(encodeURI).join('/')}`),
  fc.constantFrom(
    '/%ZZ',
    '/v1/payments/%ZZ',
    '/v1/calls/%E0%A4%A/payments',
    '/index.html/..%2f..%2fetc/passwd',
    '//x',
    '/v1/calls?x=%ZZ',
  ),
);

const paymentLike = fc.record(
  {
    idempotencyKey: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null)),
    chargeAmount: fc.oneof(fc.string({ maxLength: 20 }), fc.double(), fc.constant('10.00')),
    currency: fc.oneof(fc.string({ maxLength: 5 }), fc.integer()),
    description: fc.oneof(fc.string({ maxLength: 300 }), fc.constant('card 4242424242424242')),
    tokenType: fc.oneof(fc.string(), fc.constantFrom('one-time', 'reusable')),
    validCardTypes: fc.oneof(fc.array(fc.string(), { maxLength: 10 }), fc.string()),
    securityCode: fc.oneof(fc.boolean(), fc.string()),
    timeout: fc.oneof(fc.integer(), fc.double(), fc.string()),
    maxAttempts: fc.oneof(fc.integer(), fc.string()),
    captureMode: fc.oneof(fc.string(), fc.constantFrom('auto', 'agent')),
    statusCallback: fc.oneof(fc.webUrl(), fc.string(), fc.constant('file:///etc/passwd')),
    capture: fc.oneof(fc.string(), fc.constantFrom('payment-card-number', 'security-code')),
    status: fc.oneof(fc.string(), fc.constantFrom('complete', 'cancel')),
    username: fc.string(),
    password: fc.string(),
    cardNumber: fc.constant('4242424242424242'),
    __proto__: fc.object(),
  },
  { requiredKeys: [] },
);

const bodyArbitrary: fc.Arbitrary<string | Buffer | undefined> = fc.oneof(
  fc.constant(undefined),
  paymentLike.map((value) => JSON.stringify(value)),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '{"idempotencyKey":"a"}',
    '{"status":"cancel"}',
    '{"capture":"security-code"}',
    '{"status":"complete"}',
  ),
  fc.constantFrom(
    '{',
    '{"idempotencyKey":',
    '[]',
    'null',
    '"x"',
    '{"a":1}}',
    '\u0000',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{}}}',
  ),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.integer({ min: 17_000, max: 200_000 }).map((size) => `{"idempotencyKey":"${'a'.repeat(size)}"}`),
  fc.constant(`[${'['.repeat(5000)}${']'.repeat(5000)}]`),
);

const probeArbitrary: fc.Arbitrary<Probe> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'SEARCH'),
    path: pathArbitrary,
    contentType: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'application/json; charset=utf-7',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      '',
    ),
    auth: fc.oneof(
      fc.constant(`Bearer ${key}`),
      fc.constant(`Bearer ${key}`),
      fc.constant(''),
      fc.constant('Bearer '),
      fc.string({ maxLength: 60 }).map((token) => `Bearer ${token.replace(/[^\x21-\x7e]/g, 'x')}`),
      fc.constant(`Basic ${Buffer.from('a:b').toString('base64')}`),
    ),
    encoding: fc.constantFrom('', 'gzip', 'deflate', 'br', 'x-unknown'),
    body: bodyArbitrary,
  })
  .map(({ method, path, contentType, auth, encoding, body }) => {
    const headers: Record<string, string> = { origin: `http://127.0.0.1:${port}` };
    if (contentType) headers['content-type'] = contentType;
    if (auth) headers.authorization = auth;
    if (encoding) headers['content-encoding'] = encoding;
    // framed with a length, so a body on GET or DELETE is a body and not a second request
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    return { method, path, headers, body };
  });

/** Nearly right requests: real ids, the right key and type, bodies near the schema — they reach the handlers. */
const nearlyRight: fc.Arbitrary<Probe> = fc
  .record({
    target: fc.oneof(
      fc.nat({ max: 19 }).map((index) => `/v1/calls/${callIds[index]}/payments`),
      fc.nat({ max: 4 }).map((index) => `/v1/payments/${paymentIds[index]}`),
    ),
    body: fc.oneof(
      paymentLike.map((value) => JSON.stringify(value)),
      fc.constantFrom(
        '{"idempotencyKey":"a"}',
        '{"idempotencyKey":"b","securityCode":true}',
        '{"status":"cancel"}',
        '{"capture":"security-code"}',
      ),
    ),
  })
  .map(({ target, body }) => ({
    method: 'POST',
    path: target,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  }));

describe('every endpoint under hostile input', () => {
  it('answers below 500, every 4xx with an error code, and keeps serving', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ arbitrary: probeArbitrary, weight: 3 }, { arbitrary: nearlyRight, weight: 1 }),
        async (probe) => {
          const answer = await send(probe);
          seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
          expect(answer.status, `${probe.method} ${probe.path}: ${answer.body.slice(0, 200)}`).toBeLessThan(
            500,
          );
          if (answer.status >= 400 && probe.method !== 'HEAD') {
            expect(answer.type, `${answer.status} ${probe.method} ${probe.path}`).toContain(
              'application/json',
            );
            const parsed = JSON.parse(answer.body) as { error?: { code?: string; message?: string } };
            expect(parsed.error?.code).toMatch(/^GW_ERR_[A-Z_]+$/);
            expect(parsed.error?.message).toEqual(expect.any(String));
          }
          // nothing the caller sent comes back: no card number in any answer
          expect(answer.body).not.toContain('4242424242424242');
        },
      ),
      { numRuns: 1500, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    // the probes reached the handlers (answers) and met refusals of each kind, not one status for all
    for (const status of [200, 201, 400, 401, 404, 409])
      expect(seen.get(status), `status ${status}`).toBeGreaterThan(0);
    const health = await send({ method: 'GET', path: '/healthz', headers: {}, body: undefined });
    expect(health.status).toBe(200);
    expect(logs.text()).not.toContain('request failed');
    expect(logs.text()).not.toMatch(/\d{13,19}/);
  }, 120_000);
});

it('answers only as docs/openapi.json documents (status, headers, body schema)', () => {
  expect(responses.length).toBeGreaterThan(0);
  expect(undocumented(responses)).toEqual([]);
});

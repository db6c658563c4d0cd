/**
 * The API contract (issue 15, item 6): the OpenAPI document served at /v1/openapi.json is the one
 * in docs/, the documented 503 refusals reach clients as 503 with Retry-After, every response carries
 * a request id (also in its log line and in a 500's message), and the lists page with a cursor.
 * Every response here is also checked against docs/openapi.json.
 */

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallRegistry } from '../../src/application/calls/call-registry.js';
import { systemClock, systemTimers } from '../../src/application/clock.js';
import { noPrompts } from '../../src/application/payments/payment-ports.js';
import { type AdmissionRefusal, PaymentService } from '../../src/application/payments/payment-service.js';
import { createHttpApp } from '../../src/delivery/http/app.js';
import { RETRY_AFTER_SECONDS } from '../../src/delivery/http/error-handler.js';
import { openApiDocumentText } from '../../src/delivery/http/openapi.js';
import { ERROR_CODES, GatewayError, httpStatusOf } from '../../src/errors.js';
import { answeredEvent } from '../support/call-fixtures.js';
import { keysOnlyAccess, type ListeningApp, listenOnLoopback } from '../support/in-process-app.js';
import { captureLogs } from '../support/log-capture.js';
import { ScriptedConnector } from '../support/scripted-connector.js';
import { type RecordedResponse, recordResponses, undocumented } from './openapi/documented-responses.js';

const key = 'integration-key-for-openapi-0001';
const logs = captureLogs('info');
const registry = new CallRegistry();
let refusal: AdmissionRefusal | undefined;
let auditFails = false;
const payments = new PaymentService({
  registry,
  connector: new ScriptedConnector(),
  prompts: noPrompts,
  clock: systemClock,
  timers: systemTimers,
  logger: logs.logger,
  admission: () => refusal,
});
let app: ListeningApp;
let responses: RecordedResponse[] = [];

beforeAll(async () => {
  app = await listenOnLoopback(
    createHttpApp({
      clock: systemClock,
      logger: logs.logger,
      registry,
      payments,
      webhooksEnabled: false,
      access: keysOnlyAccess([key]),
      health: {},
      recordAction: async () => {
        if (auditFails)
          throw new GatewayError('GW_ERR_AUDIT_WRITE', 'audit record could not be written to disk');
      },
    }),
  );
  responses = recordResponses(app.server);
});
afterAll(() => app.close());
beforeEach(() => {
  refusal = undefined;
  auditFails = false;
});

const call = (
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
) =>
  fetch(`${app.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });

let calls = 0;
function newCall(answeredAt = 1_764_000_000): string {
  calls += 1;
  return registry.answered(answeredEvent(`sip-openapi-${calls}`, { ts: answeredAt })).id;
}

describe('GET /v1/openapi.json', () => {
  it('serves docs/openapi.json as it is, without credentials', async () => {
    const response = await fetch(`${app.base}/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const served = await response.text();
    // `npx tsx scripts/openapi.ts` rewrites the file after a change to the API's schemas
    const kept = await readFile(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
    expect(JSON.parse(kept)).toEqual(JSON.parse(served));
    expect(served).toBe(openApiDocumentText());
    const document = JSON.parse(served) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/calls',
        '/v1/calls/{callId}/payments',
        '/v1/payments',
        '/v1/payments/{paymentId}',
      ]),
    );
  });
});

describe('503 refusals', () => {
  it('has a Retry-After for every code the API answers with 503', () => {
    const unavailable = ERROR_CODES.filter((code) => httpStatusOf(code) === 503);
    expect(unavailable.sort()).toEqual(Object.keys(RETRY_AFTER_SECONDS).sort());
  });

  it.each<[AdmissionRefusal]>([
    ['GW_ERR_AUDIT_WRITE'],
    ['GW_ERR_DTMF_SOCKET'],
  ])('answers a payment refused with %s as 503 with Retry-After', async (code) => {
    refusal = code;
    const response = await call('POST', `/v1/calls/${newCall()}/payments`, {
      body: { idempotencyKey: 'k1' },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS[code]));
    expect(await response.json()).toEqual({
      error: { code, message: expect.stringMatching(/^payments are paused/) },
    });
  });

  it('answers 503 GW_ERR_AUDIT_WRITE with Retry-After when the action cannot be recorded', async () => {
    auditFails = true;
    const response = await call('POST', `/v1/calls/${newCall()}/payments`, {
      body: { idempotencyKey: 'k2' },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('GW_ERR_AUDIT_WRITE');
  });
});

describe('X-Request-Id', () => {
  it('is a new UUID on every response without one, and names the request in its log line', async () => {
    const first = await call('GET', '/v1/calls');
    const second = await fetch(`${app.base}/v1/calls`);
    const ids = [first.headers.get('x-request-id'), second.headers.get('x-request-id')];
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
    await vi.waitFor(() => {
      const line = logs.lines
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((entry) => entry.requestId === ids[1] && entry.msg === 'request');
      expect(line).toMatchObject({ msg: 'request', method: 'GET', path: '/v1/calls', status: 401 });
    });
  });

  it('logs the path with digit runs masked (a card number keyed into a URL stays out of the log)', async () => {
    const response = await call('GET', '/v1/payments/4242424242424242', {
      headers: { 'x-request-id': 'pan-in-path' },
    });
    expect(response.status).toBe(404);
    await vi.waitFor(() => expect(logs.text()).toContain('"requestId":"pan-in-path"'));
    expect(logs.text()).not.toMatch(/\d{13,19}/);
  });

  it.each([
    ['keeps a well-formed incoming id', 'client-Id-0001', true],
    ['keeps one of 64 characters', 'a'.repeat(64), true],
    ['replaces one of 65 characters', 'a'.repeat(65), false],
    ['replaces one with other characters', 'id with spaces', false],
    ['replaces one with an underscore', 'abc_def', false],
  ])('%s', async (_name, incoming, kept) => {
    const response = await call('GET', '/v1/calls', { headers: { 'x-request-id': incoming } });
    const id = response.headers.get('x-request-id');
    if (kept) expect(id).toBe(incoming);
    else expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is on responses outside /v1 too (health)', async () => {
    const response = await fetch(`${app.base}/healthz`);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is in a 500 message and in the error log line, never the cause', async () => {
    const list = registry.list;
    registry.list = () => {
      throw new Error('registry exploded with 4242424242424242');
    };
    try {
      const response = await call('GET', '/v1/calls', { headers: { 'x-request-id': 'trace-500' } });
      expect(response.status).toBe(500);
      expect(response.headers.get('x-request-id')).toBe('trace-500');
      expect(await response.json()).toEqual({
        error: { code: 'GW_ERR_INTERNAL', message: 'internal error; request id trace-500' },
      });
      const failed = logs.lines
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((entry) => entry.msg === 'request failed');
      expect(failed).toMatchObject({ requestId: 'trace-500' });
    } finally {
      registry.list = list;
    }
  });
});

describe('cursor pagination', () => {
  async function readAll<T>(
    path: string,
    field: string,
    limit: number,
  ): Promise<{ items: T[]; pages: number }> {
    const items: T[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
      const response = await call('GET', `${path}?${query}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      const page = body[field] as T[];
      expect(page.length).toBeLessThanOrEqual(limit);
      items.push(...page);
      cursor = body.nextCursor as string | undefined;
      pages += 1;
    } while (cursor !== undefined && pages < 100);
    return { items, pages };
  }

  it('pages GET /v1/calls oldest answered first, each call once, and still answers `calls`', async () => {
    for (const call of registry.list()) registry.ended(call.sipCallId, 'bye');
    const ids = Array.from({ length: 7 }, (_, i) => newCall(1_764_000_100 + (i % 3)));
    const { items, pages } = await readAll<{ id: string; answeredAt: string }>('/v1/calls', 'calls', 3);
    expect(pages).toBe(3);
    expect(items.map((item) => item.id).sort()).toEqual([...ids].sort());
    const order = items.map((item) => item.answeredAt);
    expect(order).toEqual([...order].sort());
    const whole = (await (await call('GET', '/v1/calls')).json()) as Record<string, unknown>;
    expect(whole).toEqual({ calls: expect.any(Array) });
    expect(whole.calls).toHaveLength(7);
  });

  it('keeps its place when an earlier call ends between pages', async () => {
    const first = (await (await call('GET', '/v1/calls?limit=2')).json()) as {
      calls: Array<{ id: string; sipCallId: string }>;
      nextCursor: string;
    };
    const gone = first.calls[0];
    if (gone) registry.ended(gone.sipCallId, 'bye');
    const rest = await readAll<{ id: string }>(`/v1/calls`, 'calls', 200);
    const second = (await (await call('GET', `/v1/calls?limit=200&cursor=${first.nextCursor}`)).json()) as {
      calls: Array<{ id: string }>;
    };
    expect(second.calls.map((c) => c.id)).toEqual(rest.items.map((c) => c.id).slice(1));
  });

  it('defaults to 50 a page', async () => {
    for (let i = 0; i < 55; i += 1) newCall();
    const body = (await (await call('GET', '/v1/calls')).json()) as { calls: unknown[]; nextCursor?: string };
    expect(body.calls).toHaveLength(50);
    expect(body.nextCursor).toEqual(expect.any(String));
    for (const call of registry.list()) registry.ended(call.sipCallId, 'bye');
  });

  it('pages GET /v1/payments newest first, each payment once', async () => {
    const listed = async (query: string) =>
      ((await (await call('GET', `/v1/payments?${query}`)).json()) as { payments: Array<{ id: string }> })
        .payments;
    const before = (await listed('limit=200')).map((entry) => entry.id);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await call('POST', `/v1/calls/${newCall()}/payments`, {
        body: { idempotencyKey: `p${i}` },
      });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    const { items } = await readAll<{ id: string; startedAt: string }>('/v1/payments', 'payments', 2);
    expect(items.map((item) => item.id).sort()).toEqual([...before, ...ids].sort());
    const order = items.map((item) => item.startedAt);
    expect(order).toEqual([...order].sort().reverse());
    expect((await listed('active=true&limit=200')).map((entry) => entry.id)).toEqual(
      expect.arrayContaining(ids),
    );
  });

  it.each([
    ['limit=0'],
    ['limit=201'],
    ['limit=2.5'],
    ['limit=ten'],
    ['limit=1&limit=2'],
    ['cursor=not%20a%20cursor'],
    ['cursor=%3D%3D'],
  ])('answers 400 GW_ERR_INVALID_BODY for ?%s', async (query) => {
    for (const path of ['/v1/calls', '/v1/payments']) {
      const response = await call('GET', `${path}?${query}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('GW_ERR_INVALID_BODY');
    }
  });
});

describe('GW_ERR_STOPPING', () => {
  it('answers a new payment on a stopping gateway with 503 and Retry-After', async () => {
    const callId = newCall();
    await payments.stop();
    const response = await call('POST', `/v1/calls/${callId}/payments`, { body: { idempotencyKey: 'late' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS.GW_ERR_STOPPING));
    expect(await response.json()).toEqual({
      error: { code: 'GW_ERR_STOPPING', message: 'the gateway is stopping' },
    });
  });
});

it('answers only as docs/openapi.json documents (status, headers, body schema)', () => {
  expect(responses.length).toBeGreaterThan(0);
  expect(undocumented(responses)).toEqual([]);
});

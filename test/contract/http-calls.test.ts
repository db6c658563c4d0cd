import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallRegistry } from '../../src/application/calls/call-registry.js';
import { systemClock, systemTimers } from '../../src/application/clock.js';
import { noPrompts } from '../../src/application/payments/payment-ports.js';
import { PaymentService } from '../../src/application/payments/payment-service.js';
import { createHttpApp } from '../../src/delivery/http/app.js';
import { keysOnlyAccess, type ListeningApp, listenOnLoopback } from '../support/in-process-app.js';
import { captureLogs } from '../support/log-capture.js';
import { type RecordedResponse, recordResponses, undocumented } from './openapi/documented-responses.js';

const key = 'integration-key-for-tests-0001';
let app: ListeningApp;
let responses: RecordedResponse[] = [];
let base: string;
const registry = new CallRegistry();

beforeAll(async () => {
  const logger = captureLogs().logger;
  const payments = new PaymentService({
    registry,
    connector: { name: 'none', tokenise: () => Promise.reject(new Error('not used')), close: async () => {} },
    prompts: noPrompts,
    clock: systemClock,
    timers: systemTimers,
    logger,
  });
  app = await listenOnLoopback(
    createHttpApp({
      clock: systemClock,
      logger,
      registry,
      payments,
      webhooksEnabled: false,
      access: keysOnlyAccess([key]),
      health: { thing: () => ({ status: 'up' }), broken: () => Promise.reject(new Error('x')) },
    }),
  );
  responses = recordResponses(app.server);
  base = app.base;
});
afterAll(() => app.close());

const get = (path: string, token?: string) =>
  fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('GET /v1/calls', () => {
  it('lists active calls in the public shape, without SIP tags', async () => {
    registry.answered({
      callId: 'sip-call-1',
      fromTag: 'f',
      toTag: 't',
      customerTag: 'f',
      agentTag: 't',
      direction: 'inbound',
      caller: '447700900123',
      callee: 'support',
      agent: 'agent-7',
      masking: 'on',
      ts: 1_764_000_000,
    });
    const response = await get('/v1/calls', key);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { calls: Array<Record<string, unknown>> };
    expect(body.calls).toHaveLength(1);
    expect(Object.keys(body.calls[0] ?? {}).sort()).toEqual(
      ['agent', 'answeredAt', 'customer', 'direction', 'id', 'masking', 'phase', 'sipCallId'].sort(),
    );
    registry.ended('sip-call-1', 'bye');
    const after = (await (await get('/v1/calls', key)).json()) as { calls: unknown[] };
    expect(after.calls).toEqual([]);
  });

  it.each([
    ['no token', undefined],
    ['a wrong token', 'integration-key-for-tests-0002'],
    ['a token with spaces', 'a b'],
  ])('answers 401 GW_ERR_UNAUTHORIZED for %s', async (_name, token) => {
    const response = await get('/v1/calls', token);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'GW_ERR_UNAUTHORIZED', message: expect.any(String) },
    });
  });

  it('answers 404 in the error shape for an unknown path', async () => {
    const response = await get('/v1/nothing', key);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('GW_ERR_NOT_FOUND');
  });

  it('answers 400 GW_ERR_INVALID_BODY for malformed JSON, without echoing it', async () => {
    const response = await fetch(`${base}/v1/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{"pan": 4242424242424242',
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('GW_ERR_INVALID_BODY');
    expect(text).not.toContain('4242');
  });
});

describe('GET /healthz', () => {
  it('reports each component and 503 when one is down', async () => {
    const response = await get('/healthz');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'down',
      components: { thing: { status: 'up' }, broken: { status: 'down' } },
    });
  });
});

it('answers only as docs/openapi.json documents (status, headers, body schema)', () => {
  expect(responses.length).toBeGreaterThan(0);
  expect(undocumented(responses)).toEqual([]);
});

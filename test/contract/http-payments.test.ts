import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStateDatabase, type StateDatabase } from '../../src/adapters/store/state-database.js';
import type { WebhookSender } from '../../src/adapters/webhooks/webhook-sender.js';
import { systemClock, systemTimers } from '../../src/application/clock.js';
import { startWebhooks } from '../../src/composition/start-webhooks.js';
import { createHttpApp } from '../../src/delivery/http/app.js';
import type { KeypadKey } from '../../src/domain/capture/keypad.js';
import {
  keysOnlyAccess,
  type ListeningApp,
  listenOnLoopback,
  paymentCore,
} from '../support/in-process-app.js';
import { captureLogs } from '../support/log-capture.js';
import { type RecordedResponse, recordResponses, undocumented } from './openapi/documented-responses.js';

const key = 'integration-key-for-tests-0001';
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const CARD = '4242424242424242';
const logs = captureLogs();
const { registry, payments } = paymentCore(logs.logger);
const stateDir = mkdtempSync(join(tmpdir(), 'tonewall-http-payments-'));
let db: StateDatabase;
let webhooks: WebhookSender | undefined;

let app: ListeningApp;
let responses: RecordedResponse[] = [];
let base: string;
const received: Array<{ body: string; headers: Record<string, string> }> = [];
let receiver: Server;
let receiverUrl: string;
let failNext = 1;
const wire: string[] = [];

beforeAll(async () => {
  db = await openStateDatabase(join(stateDir, 'state.sqlite'));
  webhooks = startWebhooks({
    settings: {
      secrets: [secret],
      hosts: ['127.0.0.1'],
      retryDelaysMs: [20, 20],
      attemptTimeoutMs: 5_000,
      loopback: true,
    },
    db,
    payments,
    clock: systemClock,
    timers: systemTimers,
    logger: logs.logger,
  });
  app = await listenOnLoopback(
    createHttpApp({
      clock: systemClock,
      logger: logs.logger,
      registry,
      payments,
      webhooksEnabled: true,
      access: keysOnlyAccess([key]),
      health: {},
    }),
  );
  responses = recordResponses(app.server);
  base = app.base;
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      if (failNext > 0) {
        failNext -= 1;
        response.writeHead(503).end();
        return;
      }
      received.push({ body, headers: request.headers as Record<string, string> });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
});
afterAll(async () => {
  await app.close();
  await webhooks?.stop();
  db.close();
  rmSync(stateDir, { recursive: true, force: true });
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  wire.push(text);
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

function newCall(sipCallId: string) {
  return registry.answered({
    callId: sipCallId,
    fromTag: `${sipCallId}-c`,
    toTag: `${sipCallId}-a`,
    customerTag: `${sipCallId}-c`,
    agentTag: `${sipCallId}-a`,
    direction: 'inbound',
    caller: '447700900123',
    callee: 'support',
    agent: 'agent-7',
    masking: 'on',
    ts: 1_795_400_000,
  });
}

async function readSse(paymentId: string, frames: string[]): Promise<void> {
  const response = await fetch(`${base}/v1/payments/${paymentId}/events`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) return;
    const text = decoder.decode(chunk.value);
    wire.push(text);
    for (const frame of text.split('\n\n')) if (frame.includes('data: ')) frames.push(frame);
  }
}

describe('payments API', () => {
  it('runs a payment: create, SSE progress, outcome, signed webhooks — and no card digits on the wire', async () => {
    const call = newCall('sip-pay-1');
    const created = await api('POST', `/v1/calls/${call.id}/payments`, {
      idempotencyKey: 'order-1',
      chargeAmount: '10.00',
      currency: 'GBP',
      statusCallback: receiverUrl,
    });
    expect(created.status).toBe(201);
    const paymentId = created.body.id as string;
    expect(created.body).toMatchObject({
      status: 'in-progress',
      capture: 'payment-card-number',
      callId: call.id,
    });

    const replay = await api('POST', `/v1/calls/${call.id}/payments`, {
      idempotencyKey: 'order-1',
      chargeAmount: '10.00',
      currency: 'GBP',
      statusCallback: receiverUrl,
    });
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(paymentId);

    const frames: string[] = [];
    const sse = readSse(paymentId, frames);
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const k of `${CARD}#1230123`) payments.onCustomerKey(call, k as KeypadKey);
    await sse;
    const views = frames.map(
      (frame) => JSON.parse(frame.split('data: ')[1] ?? '{}') as Record<string, unknown>,
    );
    expect(views[0]?.status).toBe('in-progress');
    expect(views.at(-1)).toMatchObject({ status: 'succeeded', result: { last4: '4242', brand: 'visa' } });
    expect(views.some((view) => JSON.stringify(view).includes('"digits":8'))).toBe(true);

    const final = await api('GET', `/v1/payments/${paymentId}`);
    expect(final.body.status).toBe('succeeded');

    const queued = db.prepare('SELECT COUNT(*) AS n FROM webhook_deliveries');
    for (let waited = 0; (queued.get() as { n: number }).n > 0 && waited < 5_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(received.length).toBeGreaterThan(3);
    const sequences = received.map(
      (hook) => (JSON.parse(hook.body) as { data: { sequence: number } }).data.sequence,
    );
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    const wrong = new Webhook(`whsec_${randomBytes(32).toString('base64')}`);
    for (const hook of received) {
      expect(new Webhook(secret).verify(hook.body, hook.headers)).toMatchObject({ type: 'payment.updated' });
      expect(() => wrong.verify(hook.body, hook.headers)).toThrow();
    }

    const everything = [...wire, ...received.map((hook) => hook.body), logs.text()].join('\n');
    expect(everything).not.toContain(CARD);
    expect(everything).not.toContain('1230123');
    expect(everything).not.toMatch(/\d{13,19}/);
  });

  it.each([
    ['no idempotencyKey', {}],
    ['an unknown field', { idempotencyKey: 'k', cardNumber: CARD }],
    ['a bad amount', { idempotencyKey: 'k', chargeAmount: '10,00' }],
    ['a bad brand', { idempotencyKey: 'k', validCardTypes: ['visa', 'bitcoin'] }],
    ['a language not in the catalogue', { idempotencyKey: 'k', language: 'es' }],
    ['a timeout out of range', { idempotencyKey: 'k', timeout: 0 }],
    ['a non-http callback', { idempotencyKey: 'k', statusCallback: 'file:///etc/passwd' }],
    ['a JSON array', [1, 2]],
  ])('answers 400 GW_ERR_INVALID_BODY for %s, without echoing values', async (_name, body) => {
    const call = newCall(`sip-bad-${_name}`);
    const response = await api('POST', `/v1/calls/${call.id}/payments`, body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'GW_ERR_INVALID_BODY' } });
    expect(JSON.stringify(response.body)).not.toContain(CARD);
    registry.ended(call.sipCallId, 'bye');
  });

  it('takes a payment in any catalogue language (201)', async () => {
    const call = newCall('sip-language');
    const response = await api('POST', `/v1/calls/${call.id}/payments`, {
      idempotencyKey: 'k',
      language: 'cy-GB',
    });
    expect(response.status).toBe(201);
    registry.ended(call.sipCallId, 'bye');
  });

  it('answers 404 for an unknown call or payment, 409 for a second payment on a call', async () => {
    expect((await api('POST', '/v1/calls/CAnothing/payments', { idempotencyKey: 'k' })).status).toBe(404);
    expect((await api('GET', '/v1/payments/PKnothing')).status).toBe(404);
    expect((await api('GET', '/v1/payments/..%2F..%2Fetc')).status).toBe(404);
    const call = newCall('sip-409');
    expect((await api('POST', `/v1/calls/${call.id}/payments`, { idempotencyKey: 'a' })).status).toBe(201);
    const second = await api('POST', `/v1/calls/${call.id}/payments`, { idempotencyKey: 'b' });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: { code: 'GW_ERR_PAYMENT_ACTIVE' } });
  });

  it('lets the agent ask again and cancel; a finished payment refuses (409)', async () => {
    const call = newCall('sip-agent');
    const { body } = await api('POST', `/v1/calls/${call.id}/payments`, {
      idempotencyKey: 'a',
      captureMode: 'agent',
    });
    const id = body.id as string;
    expect((await api('POST', `/v1/payments/${id}`, { capture: 'expiration-date' })).body.capture).toBe(
      'expiration-date',
    );
    expect((await api('POST', `/v1/payments/${id}`, { status: 'complete' })).status).toBe(409);
    expect((await api('POST', `/v1/payments/${id}`, { status: 'cancel' })).body.status).toBe('cancelled');
    expect((await api('POST', `/v1/payments/${id}`, { status: 'cancel' })).status).toBe(409);
    expect((await api('POST', `/v1/payments/${id}`, { status: 'pause' })).status).toBe(400);
  });
});

it('answers only as docs/openapi.json documents (status, headers, body schema)', () => {
  expect(responses.length).toBeGreaterThan(0);
  expect(undocumented(responses)).toEqual([]);
});

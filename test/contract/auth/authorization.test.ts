import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeypadKey } from '../../../src/domain/capture/keypad.js';
import { undocumented } from '../openapi/documented-responses.js';
import {
  answerCall,
  asIntegration,
  errorCode,
  recordedResponses,
  SessionClient,
  startTestGateway,
  type TestGateway,
} from './support.js';

let gateway: TestGateway;
const alice = () => new SessionClient(gateway.base);
const clients: Record<string, SessionClient> = {};
beforeAll(async () => {
  gateway = await startTestGateway({
    auditReport: async ({ from, to }) =>
      `<html><p>records 3, chain ok, ${from.toISOString()}–${to.toISOString()}</p></html>`,
  });
  for (const [name, password] of [
    ['alice', 'alice-password-1'],
    ['bob', 'bob-password-1'],
    ['sam', 'sam-password-1'],
    ['audrey', 'audrey-password-1'],
    ['ada', 'ada-password-1'],
  ] as const) {
    const client = alice();
    expect((await client.signIn(name, password)).status).toBe(201);
    clients[name] = client;
  }
});
afterAll(() => gateway.close());

const as = (name: string) => {
  const client = clients[name];
  if (!client) throw new Error(name);
  return client;
};
const bearer = (method: string, path: string, body?: unknown) =>
  asIntegration(gateway.base, method, path, body);

describe('roles and ownership', () => {
  it("lets an agent see and act on their own call only; agent B gets 403 on agent A's call", async () => {
    const callA = answerCall(gateway.registry, 'sip-own-a', 'agent-a');
    const callB = answerCall(gateway.registry, 'sip-own-b', 'agent-b');
    const listA = (await (await as('alice').request('GET', '/v1/calls')).json()) as {
      calls: Array<{ id: string }>;
    };
    expect(listA.calls.map((call) => call.id)).toEqual([callA.id]);
    const listB = (await (await as('bob').request('GET', '/v1/calls')).json()) as {
      calls: Array<{ id: string }>;
    };
    expect(listB.calls.map((call) => call.id)).toEqual([callB.id]);

    const refused = await as('bob').request('POST', `/v1/calls/${callA.id}/payments`, {
      body: { idempotencyKey: 'x' },
    });
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe('GW_ERR_FORBIDDEN');

    const created = await as('alice').request('POST', `/v1/calls/${callA.id}/payments`, {
      body: { idempotencyKey: 'a-1', chargeAmount: '5.00', currency: 'GBP' },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    for (const [method, path, body] of [
      ['GET', `/v1/payments/${id}`, undefined],
      ['GET', `/v1/payments/${id}/events`, undefined],
      ['POST', `/v1/payments/${id}`, { capture: 'payment-card-number' }],
      ['POST', `/v1/payments/${id}`, { status: 'cancel' }],
    ] as const) {
      const response = await as('bob').request(method, path, body === undefined ? {} : { body });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(await errorCode(response)).toBe('GW_ERR_FORBIDDEN');
    }
    expect((await as('alice').request('GET', `/v1/payments/${id}`)).status).toBe(200);
    const bobsList = (await (await as('bob').request('GET', '/v1/payments?active=true')).json()) as {
      payments: unknown[];
    };
    expect(bobsList.payments).toEqual([]);
    expect(
      (await as('alice').request('POST', `/v1/payments/${id}`, { body: { status: 'cancel' } })).status,
    ).toBe(200);
  });

  it('gives a supervisor every payment, status only, and no way to act on a capture', async () => {
    const call = answerCall(gateway.registry, 'sip-sup', 'agent-a');
    const created = await as('alice').request('POST', `/v1/calls/${call.id}/payments`, {
      body: { idempotencyKey: 'sup-1', chargeAmount: '7.00', currency: 'GBP' },
    });
    const { id } = (await created.json()) as { id: string };
    for (const key of '4242') gateway.payments.onCustomerKey(call, key as KeypadKey);

    const list = await as('sam').request('GET', '/v1/payments?active=true');
    expect(list.status).toBe(200);
    const { payments } = (await list.json()) as { payments: Array<Record<string, unknown>> };
    const entry = payments.find((payment) => payment.id === id);
    expect(entry).toMatchObject({
      id,
      callId: call.id,
      agent: 'agent-a',
      status: 'in-progress',
      capture: 'payment-card-number',
    });
    expect(Object.keys(entry ?? {}).sort()).toEqual([
      'agent',
      'callId',
      'capture',
      'id',
      'startedAt',
      'status',
      'updatedAt',
    ]);
    expect((await as('sam').request('GET', '/v1/calls')).status).toBe(200);

    for (const [method, path, body] of [
      ['GET', `/v1/payments/${id}`, undefined],
      ['GET', `/v1/payments/${id}/events`, undefined],
      ['POST', `/v1/payments/${id}`, { status: 'cancel' }],
      ['POST', `/v1/calls/${call.id}/payments`, { idempotencyKey: 'sup-2' }],
    ] as const) {
      const response = await as('sam').request(method, path, body === undefined ? {} : { body });
      expect(response.status, `${method} ${path}`).toBe(403);
    }
    gateway.registry.ended(call.sipCallId, 'bye');
    const ended = (await (await as('sam').request('GET', '/v1/payments')).json()) as {
      payments: Array<{ id: string; status: string; outcome?: string }>;
    };
    expect(ended.payments.find((payment) => payment.id === id)).toMatchObject({
      status: 'failed',
      outcome: 'caller-hung-up',
    });
  });

  it('gives an auditor the audit report only; admins see the board and the report', async () => {
    for (const path of ['/v1/calls', '/v1/payments']) {
      expect((await as('audrey').request('GET', path)).status).toBe(403);
    }
    const report = await as('audrey').request('GET', '/v1/audit/report');
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toContain('text/html');
    expect(report.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await report.text()).toContain('records 3, chain ok');
    const ranged = await as('audrey').request('GET', '/v1/audit/report?from=2026-01-01&to=2026-02-01');
    expect(await ranged.text()).toContain('2026-01-01T00:00:00.000Z–2026-02-01T00:00:00.000Z');
    expect((await as('audrey').request('GET', '/v1/audit/report?from=yesterday')).status).toBe(400);
    expect((await as('alice').request('GET', '/v1/audit/report')).status).toBe(403);
    expect((await as('sam').request('GET', '/v1/audit/report')).status).toBe(403);
    expect((await as('ada').request('GET', '/v1/audit/report')).status).toBe(200);
    expect((await as('ada').request('GET', '/v1/payments?active=true')).status).toBe(200);
    const call = answerCall(gateway.registry, 'sip-admin', 'agent-a');
    expect(
      (await as('ada').request('POST', `/v1/calls/${call.id}/payments`, { body: { idempotencyKey: 'ad' } }))
        .status,
    ).toBe(403);
  });

  it('lets an integration key use the whole API', async () => {
    const call = answerCall(gateway.registry, 'sip-int', 'agent-b');
    const calls = (await (await bearer('GET', '/v1/calls')).json()) as { calls: Array<{ id: string }> };
    expect(calls.calls.map((entry) => entry.id)).toContain(call.id);
    const created = await bearer('POST', `/v1/calls/${call.id}/payments`, { idempotencyKey: 'int-1' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await bearer('GET', `/v1/payments/${id}`)).status).toBe(200);
    expect((await bearer('GET', '/v1/payments?active=true')).status).toBe(200);
    expect((await bearer('GET', '/v1/audit/report')).status).toBe(200);
    expect((await bearer('POST', `/v1/payments/${id}`, { status: 'cancel' })).status).toBe(200);
  });

  it('answers 404 for a call that does not exist, before any ownership question', async () => {
    const response = await as('alice').request('POST', '/v1/calls/CAnothing/payments', {
      body: { idempotencyKey: 'n' },
    });
    expect(response.status).toBe(404);
  });
});

describe('CSRF on cookie sessions', () => {
  it('requires the session token header on every state-changing request made with the cookie', async () => {
    const call = answerCall(gateway.registry, 'sip-csrf', 'agent-a');
    const path = `/v1/calls/${call.id}/payments`;
    const body = { idempotencyKey: 'csrf-1' };
    const missing = await as('alice').request('POST', path, { body, csrf: null });
    expect(missing.status).toBe(403);
    expect(await errorCode(missing)).toBe('GW_ERR_CSRF');
    expect((await as('alice').request('POST', path, { body, csrf: as('bob').csrfToken })).status).toBe(403);
    expect(
      (await as('alice').request('POST', path, { body, headers: { origin: 'http://evil.example' } })).status,
    ).toBe(403);
    expect(
      (await as('alice').request('POST', path, { body, headers: { 'sec-fetch-site': 'cross-site' } })).status,
    ).toBe(403);
    expect((await as('alice').request('DELETE', '/v1/session', { csrf: null })).status).toBe(403);
    expect((await as('alice').request('GET', '/v1/calls', { csrf: null })).status).toBe(200);
    const ok = await as('alice').request('POST', path, { body });
    expect(ok.status).toBe(201);
  });

  it('exempts bearer requests, which carry no ambient credential', async () => {
    const call = answerCall(gateway.registry, 'sip-csrf-bearer', 'agent-a');
    expect((await bearer('POST', `/v1/calls/${call.id}/payments`, { idempotencyKey: 'b' })).status).toBe(201);
  });
});

describe('least privilege for people (PCI DSS 7.2)', () => {
  const create = (client: SessionClient | undefined, callId: string, body: Record<string, unknown>) => {
    const payload = { idempotencyKey: `lp-${Object.keys(body).join('-')}-${callId.slice(-6)}`, ...body };
    return client
      ? client.request('POST', `/v1/calls/${callId}/payments`, { body: payload })
      : bearer('POST', `/v1/calls/${callId}/payments`, payload);
  };

  it('an agent starts one-time payments up to the limit in the allowed currencies; an integration key is not limited', async () => {
    const call = answerCall(gateway.registry, 'sip-lp-limits', 'agent-a');
    for (const [body, why] of [
      [{ tokenType: 'reusable' }, 'reusable token'],
      [{ statusCallback: 'https://crm.example/hook' }, 'statusCallback'],
      [{ chargeAmount: '10.00', currency: 'EUR' }, 'currency'],
      [{ chargeAmount: '500.001', currency: 'GBP' }, 'chargeAmount'],
    ] as const) {
      const refused = await create(as('alice'), call.id, body);
      expect([refused.status, await errorCode(refused)], why).toEqual([403, 'GW_ERR_FORBIDDEN']);
    }
    const session = (await (await as('alice').request('GET', '/v1/session')).json()) as {
      paymentLimits?: unknown;
    };
    expect(session.paymentLimits).toEqual({ maxAmount: '500.00', currencies: ['GBP'] });
    const allowed = await create(as('alice'), call.id, { chargeAmount: '500.00', currency: 'GBP' });
    expect(allowed.status).toBe(201);
    await as('alice').request('POST', `/v1/payments/${((await allowed.json()) as { id: string }).id}`, {
      body: { status: 'cancel' },
    });
    const big = await create(undefined, call.id, {
      chargeAmount: '9999.00',
      currency: 'EUR',
      tokenType: 'reusable',
    });
    expect(big.status).toBe(201);
  });

  it('people see the outcome, brand, last 4 and confirmation; the token and expiry go to integrations only', async () => {
    const call = answerCall(gateway.registry, 'sip-lp-view', 'agent-a');
    const started = await create(as('alice'), call.id, {
      chargeAmount: '12.00',
      currency: 'GBP',
      securityCode: false,
    });
    const startedBody = await started.text();
    expect(started.status, startedBody).toBe(201);
    const { id } = JSON.parse(startedBody) as { id: string };
    for (const key of '4242424242424242#1230#') gateway.payments.onCustomerKey(call, key as KeypadKey);
    await expect
      .poll(async () => JSON.stringify(await (await bearer('GET', `/v1/payments/${id}`)).json()))
      .toContain('"status":"succeeded"');
    const forAlice = (await (await as('alice').request('GET', `/v1/payments/${id}`)).json()) as {
      result: Record<string, unknown>;
    };
    expect(Object.keys(forAlice.result).sort()).toEqual(['brand', 'confirmationCode', 'last4', 'outcome']);
    const forIntegration = (await (await bearer('GET', `/v1/payments/${id}`)).json()) as {
      result: Record<string, unknown>;
    };
    expect(forIntegration.result).toMatchObject({ token: expect.any(String), expMonth: 12, expYear: 2030 });
  });
});

it('answers only as docs/openapi.json documents (status, headers, body schema)', () => {
  expect(recordedResponses().length).toBeGreaterThan(0);
  expect(undocumented(recordedResponses())).toEqual([]);
});

/**
 * Issue 16, item 4: least privilege for people. An integration's order sets amount, currency, token
 * type (and callback) for a payment; the call's agent starts a payment from it without choosing any of
 * it. Without an order an agent is held to their own limit (users file `maxAmount`) or the configured one.
 */
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
  USERS,
} from './support.js';

let gateway: TestGateway;
const clients: Record<string, SessionClient> = {};
beforeAll(async () => {
  gateway = await startTestGateway({
    users: [
      ...USERS,
      {
        username: 'carl',
        password: 'carl-password-1',
        roles: ['agent'],
        agentId: 'agent-c',
        maxAmount: '50.00',
      },
    ],
  });
  for (const [name, password] of [
    ['alice', 'alice-password-1'],
    ['bob', 'bob-password-1'],
    ['carl', 'carl-password-1'],
    ['sam', 'sam-password-1'],
    ['ada', 'ada-password-1'],
    ['audrey', 'audrey-password-1'],
  ] as const) {
    const client = new SessionClient(gateway.base);
    expect((await client.signIn(name, password)).status).toBe(201);
    clients[name] = client;
  }
});
afterAll(() => gateway.close());

const as = (name: string) => clients[name] as SessionClient;
const bearer = (method: string, path: string, body?: unknown) =>
  asIntegration(gateway.base, method, path, body);

describe('orders: the integration sets the terms, the agent takes the payment', () => {
  it('an agent pays an order of 1,200.00 with a reusable token, which they could not ask for themselves', async () => {
    const call = answerCall(gateway.registry, 'sip-order-1', 'agent-a');
    const made = await bearer('POST', `/v1/calls/${call.id}/orders`, {
      chargeAmount: '1200.00',
      currency: 'EUR',
      tokenType: 'reusable',
      description: 'Invoice 4711',
    });
    expect(made.status).toBe(201);
    const { order } = (await made.json()) as { order: { id: string; state: string; createdBy: string } };
    expect(order).toMatchObject({ state: 'open', createdBy: expect.any(String) });

    // the agent sees the terms, not who made it or where the status goes
    const listed = (await (await as('alice').request('GET', `/v1/calls/${call.id}/orders`)).json()) as {
      orders: Array<Record<string, unknown>>;
    };
    expect(listed.orders).toHaveLength(1);
    expect(listed.orders[0]).toMatchObject({ id: order.id, chargeAmount: '1200.00', currency: 'eur' });
    expect(listed.orders[0]).not.toHaveProperty('createdBy');
    expect((await as('bob').request('GET', `/v1/calls/${call.id}/orders`)).status).toBe(403);

    // alone the agent may not: above the limit, reusable
    const alone = await as('alice').request('POST', `/v1/calls/${call.id}/payments`, {
      body: { idempotencyKey: 'alone', chargeAmount: '1200.00', currency: 'EUR', tokenType: 'reusable' },
    });
    expect(alone.status).toBe(403);
    // from the order, without repeating its terms
    const mixed = await as('alice').request('POST', `/v1/calls/${call.id}/payments`, {
      body: { idempotencyKey: 'mixed', orderId: order.id, chargeAmount: '1.00' },
    });
    expect(mixed.status).toBe(400);
    expect(await errorCode(mixed)).toBe('GW_ERR_INVALID_BODY');
    const started = await as('alice').request('POST', `/v1/calls/${call.id}/payments`, {
      body: { idempotencyKey: 'from-order', orderId: order.id, securityCode: false },
    });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    for (const key of '4242424242424242#1230#') gateway.payments.onCustomerKey(call, key as KeypadKey);
    await expect
      .poll(async () => JSON.stringify(await (await bearer('GET', `/v1/payments/${id}`)).json()))
      .toContain('"status":"succeeded"');
    expect(gateway.connector.requests.at(-1)).toMatchObject({
      chargeAmount: '1200.00',
      currency: 'eur',
      description: 'Invoice 4711',
      tokenType: 'reusable',
    });

    // paid: the order takes no second payment
    const after = (await (await bearer('GET', `/v1/calls/${call.id}/orders`)).json()) as {
      orders: Array<{ state: string }>;
    };
    expect(after.orders[0]?.state).toBe('paid');
    const again = await as('alice').request('POST', `/v1/calls/${call.id}/payments`, {
      body: { idempotencyKey: 'again', orderId: order.id },
    });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe('GW_ERR_ORDER_STATE');
  });

  it('people cannot make orders; an order of another call is not found', async () => {
    const call = answerCall(gateway.registry, 'sip-order-2', 'agent-a');
    const other = answerCall(gateway.registry, 'sip-order-3', 'agent-a');
    const byPerson = await as('alice').request('POST', `/v1/calls/${call.id}/orders`, {
      body: { chargeAmount: '10.00', currency: 'GBP' },
    });
    expect(byPerson.status).toBe(403);
    const made = await bearer('POST', `/v1/calls/${other.id}/orders`, {
      chargeAmount: '10.00',
      currency: 'GBP',
    });
    const { order } = (await made.json()) as { order: { id: string } };
    const elsewhere = await as('alice').request('POST', `/v1/calls/${call.id}/payments`, {
      body: { idempotencyKey: 'elsewhere', orderId: order.id },
    });
    expect(elsewhere.status).toBe(404);
  });

  it('an order whose description holds a card number is refused when made, never shown to the agent', async () => {
    const call = answerCall(gateway.registry, 'sip-order-pan', 'agent-a');
    const made = await bearer('POST', `/v1/calls/${call.id}/orders`, {
      chargeAmount: '10.00',
      currency: 'GBP',
      description: 'card 4242 4242 4242 4242 from the CRM',
    });
    expect(made.status).toBe(400);
    const text = await made.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'GW_ERR_INVALID_BODY', message: '"description" must not contain a card number' },
    });
    expect(text).not.toMatch(/4242/);
    const listed = await as('alice').request('GET', `/v1/calls/${call.id}/orders`);
    expect(await listed.text()).not.toMatch(/4242/);
  });
});

describe('reading orders: who may see a call sees its orders; people never its callback or maker', () => {
  it("the call's agent, supervisors and admins read them; another agent and an auditor get 403, an ended call 404", async () => {
    const call = answerCall(gateway.registry, 'sip-order-read', 'agent-a');
    const made = await bearer('POST', `/v1/calls/${call.id}/orders`, {
      chargeAmount: '75.00',
      currency: 'GBP',
      description: 'Renewal 2027',
    });
    expect(made.status).toBe(201);
    const path = `/v1/calls/${call.id}/orders`;
    for (const name of ['alice', 'sam', 'ada'] as const) {
      const read = await as(name).request('GET', path);
      expect(read.status, name).toBe(200);
      const { orders } = (await read.json()) as { orders: Array<Record<string, unknown>> };
      expect(orders, name).toEqual([
        expect.objectContaining({ description: 'Renewal 2027', chargeAmount: '75.00', state: 'open' }),
      ]);
      expect(Object.keys(orders[0] ?? {}), name).not.toContain('statusCallback');
      expect(Object.keys(orders[0] ?? {}), name).not.toContain('createdBy');
    }
    for (const name of ['bob', 'carl', 'audrey']) {
      const refused = await as(name).request('GET', path);
      expect(refused.status).toBe(403);
      expect(await errorCode(refused)).toBe('GW_ERR_FORBIDDEN');
    }
    // the integration sees the whole order, who made it too
    const full = (await (await bearer('GET', path)).json()) as { orders: Array<Record<string, unknown>> };
    expect(full.orders[0]).toMatchObject({ createdBy: expect.any(String) });
    gateway.registry.ended(call.sipCallId, 'bye');
    expect((await as('alice').request('GET', path)).status).toBe(404);
  });
});

describe('per-agent limits', () => {
  it('holds an agent to their own limit (50.00), another to the configured one (500.00)', async () => {
    const carlsCall = answerCall(gateway.registry, 'sip-cap-c', 'agent-c');
    const alicesCall = answerCall(gateway.registry, 'sip-cap-a', 'agent-a');
    const session = (await (await as('carl').request('GET', '/v1/session')).json()) as {
      paymentLimits: { maxAmount: string };
    };
    expect(session.paymentLimits.maxAmount).toBe('50.00');
    const over = await as('carl').request('POST', `/v1/calls/${carlsCall.id}/payments`, {
      body: { idempotencyKey: 'carl-60', chargeAmount: '60.00', currency: 'GBP' },
    });
    expect(over.status).toBe(403);
    expect(await errorCode(over)).toBe('GW_ERR_FORBIDDEN');
    const within = await as('carl').request('POST', `/v1/calls/${carlsCall.id}/payments`, {
      body: { idempotencyKey: 'carl-40', chargeAmount: '40.00', currency: 'GBP' },
    });
    expect(within.status).toBe(201);
    const alice = await as('alice').request('POST', `/v1/calls/${alicesCall.id}/payments`, {
      body: { idempotencyKey: 'alice-60', chargeAmount: '60.00', currency: 'GBP' },
    });
    expect(alice.status).toBe(201);
  });
});

it('answers only as docs/openapi.json documents (status, headers, body schema)', () => {
  expect(recordedResponses().length).toBeGreaterThan(0);
  expect(undocumented(recordedResponses())).toEqual([]);
});

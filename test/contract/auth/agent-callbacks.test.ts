/**
 * Issue 17, item 3: only integrations set a status callback, with callbacks ON (TONEWALL_WEBHOOK_SECRET
 * set), so no refusal here can come from callbacks being off. An agent may not name one on a payment
 * of their own, nor add one to an integration's order that has none; the integration's key may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerCall,
  asIntegration,
  errorCode,
  SessionClient,
  startTestGateway,
  type TestGateway,
} from './support.js';

const HOOK = 'https://crm.example/hooks/payments';

let gateway: TestGateway;
let alice: SessionClient;
/** The payments started, by call (from the service's updates, whatever the HTTP answer said). */
const started = new Map<string, Set<string>>();
beforeAll(async () => {
  gateway = await startTestGateway({ webhooksEnabled: true });
  gateway.payments.onUpdate(({ view }) => {
    started.set(view.callId, (started.get(view.callId) ?? new Set()).add(view.id));
  });
  alice = new SessionClient(gateway.base);
  expect((await alice.signIn('alice', 'alice-password-1')).status).toBe(201);
});
afterAll(() => gateway.close());

const bearer = (method: string, path: string, body?: unknown) =>
  asIntegration(gateway.base, method, path, body);

/** The callback of each payment started on a call. */
const callbacksOn = (callId: string) =>
  [...(started.get(callId) ?? [])].map((id) => gateway.payments.callbackOf(id));

describe('status callbacks are set by integrations, never by agents (callbacks on)', () => {
  it("an agent's own payment with a statusCallback is refused (403), nothing started", async () => {
    const call = answerCall(gateway.registry, 'sip-cb-agent', 'agent-a');
    const refused = await alice.request('POST', `/v1/calls/${call.id}/payments`, {
      body: { idempotencyKey: 'agent-hook', statusCallback: HOOK },
    });
    expect([refused.status, await errorCode(refused)]).toEqual([403, 'GW_ERR_FORBIDDEN']);
    expect(callbacksOn(call.id)).toEqual([]);
  });

  it("an agent cannot add a statusCallback to an integration's order that has none (400), nothing started", async () => {
    const call = answerCall(gateway.registry, 'sip-cb-order', 'agent-a');
    const made = await bearer('POST', `/v1/calls/${call.id}/orders`, {
      chargeAmount: '20.00',
      currency: 'GBP',
    });
    expect(made.status).toBe(201);
    const { order } = (await made.json()) as { order: { id: string } };
    const refused = await alice.request('POST', `/v1/calls/${call.id}/payments`, {
      body: { idempotencyKey: 'order-hook', orderId: order.id, statusCallback: HOOK },
    });
    expect([refused.status, await errorCode(refused)]).toEqual([400, 'GW_ERR_INVALID_BODY']);
    expect(callbacksOn(call.id)).toEqual([]);
    // the order itself is still the agent's to take, without a callback
    const taken = await alice.request('POST', `/v1/calls/${call.id}/payments`, {
      body: { idempotencyKey: 'order-plain', orderId: order.id },
    });
    expect(taken.status).toBe(201);
    expect(callbacksOn(call.id)).toEqual([undefined]);
  });

  it("the integration's key sets one, on a payment or on its order", async () => {
    const call = answerCall(gateway.registry, 'sip-cb-integration', 'agent-a');
    const own = await bearer('POST', `/v1/calls/${call.id}/payments`, {
      idempotencyKey: 'integration-hook',
      statusCallback: HOOK,
    });
    expect(own.status).toBe(201);
    expect(callbacksOn(call.id)).toEqual([HOOK]);
    const { id } = (await own.json()) as { id: string };
    await bearer('POST', `/v1/payments/${id}`, { status: 'cancel' });

    const other = answerCall(gateway.registry, 'sip-cb-order-hook', 'agent-a');
    const made = await bearer('POST', `/v1/calls/${other.id}/orders`, {
      chargeAmount: '20.00',
      currency: 'GBP',
      statusCallback: HOOK,
    });
    const { order } = (await made.json()) as { order: { id: string } };
    const taken = await alice.request('POST', `/v1/calls/${other.id}/payments`, {
      body: { idempotencyKey: 'from-order-hook', orderId: order.id },
    });
    expect(taken.status).toBe(201);
    expect(callbacksOn(other.id)).toEqual([HOOK]);
  });
});

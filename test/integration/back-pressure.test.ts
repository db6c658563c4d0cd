/**
 * Issue 20, item 5 (back-pressure), on the real call path: a gateway capped at one payment in progress
 * (TONEWALL_MAX_PAYMENTS_IN_PROGRESS=1) takes the first call's payment, refuses a second call's with
 * 503 GW_ERR_OVERLOADED and Retry-After, logs once that it refuses and why, and takes the second call's
 * payment once the first has ended. The CPU limit is tested in test/unit/payments/load-shedding.test.ts
 * (a saturated host cannot be made on demand here without disturbing the other tests' media).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallHarness } from '../support/call-harness.js';
import { rfc4733Pcap } from '../support/dtmf-pcap.js';
import { type InProcessGateway, startInProcessGateway } from '../support/in-process-gateway.js';
import { TEST_API_KEY } from '../support/test-run.js';

let gateway: InProcessGateway;
let harness: CallHarness;

beforeAll(async () => {
  gateway = await startInProcessGateway({ TONEWALL_MAX_PAYMENTS_IN_PROGRESS: '1' });
  harness = await CallHarness.create({ name: 'back-pressure' });
});

afterAll(async () => {
  await harness?.cleanup();
  await gateway?.close();
});

async function createPayment(callId: string): Promise<Response> {
  return fetch(`${gateway.api.baseUrl}/v1/calls/${callId}/payments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      idempotencyKey: `bp-${randomUUID().replace(/[^a-f]/g, '')}`,
      chargeAmount: '10.00',
      currency: 'GBP',
      securityCode: false,
    }),
  });
}

describe('back-pressure: payments in progress capped', () => {
  it('refuses a second payment 503 GW_ERR_OVERLOADED while the first is in progress, takes it once that ended', async () => {
    // two customers on the line at once, keying nothing (the payments wait for keys)
    const pcap = rfc4733Pcap('', { leadInMs: 500, tailMs: 12_000 });
    const [first, second] = await harness.placeCallGroup([
      { telephoneEvent: true, pcap },
      { telephoneEvent: true, pcap },
    ]);
    if (!first || !second) throw new Error('two calls expected');
    const a = await gateway.api.waitForCall(first.customer.sipCallId);
    const b = await gateway.api.waitForCall(second.customer.sipCallId);

    const taken = await createPayment(a.id);
    expect(taken.status).toBe(201);
    const payment = (await taken.json()) as { id: string };

    const refused = await createPayment(b.id);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('GW_ERR_OVERLOADED');
    expect(
      gateway.logs.lines.filter((line) => line.includes('new payments refused: overloaded')),
    ).toHaveLength(1);

    // the first ends (cancelled): the cap frees, the second call's payment starts
    await gateway.api.request('POST', `/v1/payments/${payment.id}`, { status: 'cancel' });
    await gateway.api.waitForPayment(payment.id, (view) => view.status === 'cancelled');
    const later = await createPayment(b.id);
    expect(later.status).toBe(201);
    expect(gateway.logs.lines.some((line) => line.includes('new payments taken again'))).toBe(true);
    await harness.finish(first);
    await harness.finish(second);
  });
});

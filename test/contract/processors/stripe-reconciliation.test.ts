/**
 * Issue 17, item 2, at Stripe: a charge whose outcome the gateway did not get is `unknown`, the call
 * takes no new charge, and the reconciler settles it from Stripe's record (a search of the payment's
 * PaymentIntents, stripe-lookup.ts). The real PaymentService, charge ledger (SQLite), reconciler and
 * Stripe connector against a local Stripe-shaped HTTPS server (Stripe itself is out of reach here).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StripeConnector } from '../../../src/adapters/processors/stripe-connector.js';
import { SqliteChargeLedger } from '../../../src/adapters/store/sqlite-charge-ledger.js';
import { SqliteIdempotencyLedger } from '../../../src/adapters/store/sqlite-idempotency-ledger.js';
import { openStateDatabase, type StateDatabase } from '../../../src/adapters/store/state-database.js';
import { CallRegistry } from '../../../src/application/calls/call-registry.js';
import { systemClock, systemTimers } from '../../../src/application/clock.js';
import { ChargeReconciler } from '../../../src/application/payments/charge-reconciler.js';
import { PaymentService } from '../../../src/application/payments/payment-service.js';
import type { AuditAction } from '../../../src/domain/audit/audit-entries.js';
import type { KeypadKey } from '../../../src/domain/capture/keypad.js';
import { answeredEvent } from '../../support/call-fixtures.js';
import { captureLogs } from '../../support/log-capture.js';
import { startFakeStripe } from './fake-stripe.js';
import { type DevKeySet, makeDevKeys } from './support.js';

const CARD = '4242424242424242';
const logs = captureLogs();
let keys: DevKeySet;
let fake: Awaited<ReturnType<typeof startFakeStripe>>;
let agent: Agent;
let folder: string;
const databases: StateDatabase[] = [];

beforeAll(async () => {
  keys = makeDevKeys(1);
  fake = await startFakeStripe({ cert: keys.serverCert, key: keys.serverKey });
  agent = new Agent({ ca: keys.ca, keepAlive: false });
  folder = mkdtempSync(join(tmpdir(), 'tonewall-stripe-reconcile-'));
});

afterEach(() => {
  fake.clearFaults();
  for (const db of databases.splice(0)) db.close();
});

afterAll(async () => {
  agent.destroy();
  await fake.close();
  keys.remove();
  rmSync(folder, { recursive: true, force: true });
});

/** A gateway's payment side on Stripe: service, ledger and reconciler on one state database. */
async function gatewayOnStripe(name: string) {
  const db = await openStateDatabase(join(folder, `${name}.sqlite`));
  databases.push(db);
  const registry = new CallRegistry();
  const connector = new StripeConnector({
    secretKey: 'sk_test_tonewallReconcileTest',
    api: { host: '127.0.0.1', port: fake.port, protocol: 'https', agent },
    attemptTimeoutMs: 300,
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, deadlineMs: 3_000 },
    logger: logs.logger,
    clock: systemClock,
    timers: systemTimers,
  });
  const charges = new SqliteChargeLedger(db);
  const payments = new PaymentService({
    registry,
    connector,
    prompts: { play: async () => undefined },
    clock: systemClock,
    timers: systemTimers,
    logger: logs.logger,
    idempotencyLedger: new SqliteIdempotencyLedger(db),
    charges,
  });
  const records: AuditAction[] = [];
  const reconciler = new ChargeReconciler({
    charges,
    connector,
    payments,
    durable: async () => undefined,
    record: async (action) => void records.push(action),
    clock: systemClock,
    timers: systemTimers,
    logger: logs.logger,
    intervalMs: 60_000,
    nothingAfterMs: 0,
  });
  const call = registry.answered(answeredEvent(`sip-${name}`, { ts: Math.floor(Date.now() / 1000) }));
  const start = (idempotencyKey: string) =>
    payments.create(call.id, {
      idempotencyKey,
      tokenType: 'one-time',
      chargeAmount: '25.00',
      currency: 'gbp',
      settings: {},
    });
  const pay = (idempotencyKey: string) => {
    const { view } = start(idempotencyKey);
    for (const key of `${CARD}#1230123`) payments.onCustomerKey(call, key as KeypadKey);
    return view.id;
  };
  const statusOf = (paymentId: string) => payments.get(paymentId).status;
  return { payments, charges, reconciler, records, call, start, pay, statusOf };
}

describe('charges of unknown outcome reconciled at Stripe', () => {
  it('an intent left processing: unknown, no new charge on the call, pending, then succeeded from the intent', async () => {
    const g = await gatewayOnStripe('processing');
    fake.nextIntentIn('processing');
    const id = g.pay('crm-order-1');
    await expect.poll(() => g.statusOf(id)).toBe('unknown');
    expect(g.payments.get(id)).toMatchObject({ result: { outcome: 'unknown' } });
    expect(() => g.start('crm-order-2')).toThrow(expect.objectContaining({ code: 'GW_ERR_PAYMENT_ACTIVE' }));

    await g.reconciler.reconcileNow();
    expect(g.statusOf(id), 'Stripe still processing').toBe('unknown');
    expect(g.charges.inDoubt()).toEqual([expect.objectContaining({ paymentId: id, state: 'unknown' })]);

    const intents = fake.intentsOf(id);
    expect(intents).toHaveLength(1);
    fake.settleIntent(String(intents[0]?.id), 'succeeded');
    const charge = fake.intentsOf(id)[0]?.latest_charge;
    expect(charge).toMatch(/^ch_/);
    await g.reconciler.reconcileNow();
    expect(g.payments.get(id)).toMatchObject({
      status: 'succeeded',
      result: { outcome: 'success', last4: '4242', confirmationCode: charge },
    });
    expect(g.charges.inDoubt()).toEqual([]);
    expect(g.records).toEqual([
      expect.objectContaining({ action: 'payment.reconciled.charged', paymentId: id }),
    ]);
    // one intent under the payment, succeeded: one charge; the call takes a new one again
    expect(fake.intentsOf(id).map((intent) => intent.status)).toEqual(['succeeded']);
    const next = g.start('crm-order-3');
    expect(next.created).toBe(true);
    g.payments.cancel(next.view.id);
  });

  it('Stripe never answers the PaymentIntent: unknown, then failed once the search finds no intent', async () => {
    const g = await gatewayOnStripe('silent');
    fake.inject({ path: '/v1/payment_intents', times: 10, reply: 'hang' });
    const before = fake.requests.length;
    const id = g.pay('crm-order-1');
    await expect.poll(() => g.statusOf(id), { timeout: 5_000 }).toBe('unknown');
    const asked = fake.requests.slice(before).filter((r) => r.path === '/v1/payment_intents');
    expect(asked.length, 'retried').toBeGreaterThanOrEqual(2);
    expect(new Set(asked.map((r) => r.idempotencyKey)).size, 'under one key').toBe(1);

    await g.reconciler.reconcileNow();
    expect(g.payments.get(id)).toMatchObject({
      status: 'failed',
      result: { outcome: 'payment-connector-error' },
    });
    expect(fake.intentsOf(id)).toEqual([]);
    expect(g.records).toEqual([
      expect.objectContaining({ action: 'payment.reconciled.not-charged', paymentId: id }),
    ]);
  });
});

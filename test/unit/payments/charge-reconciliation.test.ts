import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteChargeLedger } from '../../../src/adapters/store/sqlite-charge-ledger.js';
import { SqliteIdempotencyLedger } from '../../../src/adapters/store/sqlite-idempotency-ledger.js';
import { openStateDatabase, type StateDatabase } from '../../../src/adapters/store/state-database.js';
import { CallRegistry } from '../../../src/application/calls/call-registry.js';
import { ChargeReconciler } from '../../../src/application/payments/charge-reconciler.js';
import { type PaymentRequest, PaymentService } from '../../../src/application/payments/payment-service.js';
import type {
  PaymentStatusRecord,
  PaymentStatusStore,
} from '../../../src/application/payments/payment-status-store.js';
import type { AuditAction } from '../../../src/domain/audit/audit-entries.js';
import type { KeypadKey } from '../../../src/domain/capture/keypad.js';
import { GatewayError } from '../../../src/errors.js';
import { answeredEvent } from '../../support/call-fixtures.js';
import { FakeTime } from '../../support/fake-time.js';
import { captureLogs } from '../../support/log-capture.js';
import { ScriptedConnector } from '../../support/scripted-connector.js';

const CARD = '4242424242424242';
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

class MemoryStatusStore implements PaymentStatusStore {
  readonly records = new Map<string, PaymentStatusRecord>();
  save(record: PaymentStatusRecord): void {
    this.records.set(record.id, record);
  }
  get(paymentId: string): PaymentStatusRecord | undefined {
    return this.records.get(paymentId);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

const request = (overrides: Partial<PaymentRequest> = {}): PaymentRequest => ({
  idempotencyKey: 'order-1',
  tokenType: 'one-time',
  chargeAmount: '10.00',
  currency: 'gbp',
  settings: {},
  ...overrides,
});

const folders: string[] = [];
const databases: StateDatabase[] = [];
afterEach(() => {
  for (const db of databases.splice(0)) db.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function newDatabase(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'tonewall-state-'));
  folders.push(folder);
  return join(folder, 'state.sqlite');
}

/** One run of a gateway's payment side on a state database: what a restart rebuilds. */
async function run(file: string, store: MemoryStatusStore, time = new FakeTime()) {
  const db = await openStateDatabase(file);
  databases.push(db);
  const registry = new CallRegistry();
  const connector = new ScriptedConnector();
  const charges = new SqliteChargeLedger(db);
  const service = new PaymentService({
    registry,
    connector,
    prompts: { play: async () => undefined },
    clock: time,
    timers: time,
    logger: captureLogs().logger,
    statusStore: store,
    idempotencyLedger: new SqliteIdempotencyLedger(db),
    charges,
  });
  const records: AuditAction[] = [];
  const reconciler = new ChargeReconciler({
    charges,
    connector,
    payments: service,
    durable: async () => undefined,
    record: async (action) => void records.push(action),
    clock: time,
    timers: time,
    logger: captureLogs().logger,
    intervalMs: 1_000,
    nothingAfterMs: 60_000,
  });
  const call = registry.answered(
    answeredEvent('sip-1', { fromTag: 'c', toTag: 'a', customerTag: 'c', agentTag: 'a', ts: 1_795_400_000 }),
  );
  const key = (keys: string) => {
    for (const k of keys) service.onCustomerKey(call, k as KeypadKey);
  };
  return { db, time, connector, charges, service, reconciler, records, call, key };
}

const timeout = () =>
  Promise.reject(new GatewayError('GW_ERR_PROCESSOR_TIMEOUT', 'late', { retryable: true }));

describe('charges of unknown outcome', () => {
  it('holds the call until the processor says it charged, then shows the payment succeeded', async () => {
    const t = await run(await newDatabase(), new MemoryStatusStore());
    t.connector.answer = timeout;
    const { view } = t.service.create(t.call.id, request());
    t.key(`${CARD}#1230123`);
    await settle();
    expect(t.service.get(view.id)).toMatchObject({ status: 'unknown', result: { outcome: 'unknown' } });
    expect(t.charges.inDoubt()).toEqual([expect.objectContaining({ paymentId: view.id, state: 'unknown' })]);
    expect(() => t.service.create(t.call.id, request({ idempotencyKey: 'order-2' }))).toThrow(
      expect.objectContaining({ code: 'GW_ERR_PAYMENT_ACTIVE' }),
    );
    t.connector.lookupAnswer = async () => ({
      found: 'result',
      result: { outcome: 'success', token: 'tok_9', last4: '4242', confirmationCode: 'CH9' },
    });
    await t.reconciler.reconcileNow();
    expect(t.connector.lookups).toEqual([
      { paymentId: view.id, idempotencyKey: t.connector.requests[0]?.idempotencyKey },
    ]);
    expect(t.service.get(view.id)).toMatchObject({
      status: 'succeeded',
      result: { outcome: 'success', token: 'tok_9', confirmationCode: 'CH9', last4: '4242' },
    });
    expect(t.charges.inDoubt()).toEqual([]);
    expect(t.records).toEqual([
      expect.objectContaining({ action: 'payment.reconciled.charged', paymentId: view.id }),
    ]);
    expect(t.service.create(t.call.id, request({ idempotencyKey: 'order-2' })).created).toBe(true);
  });

  it('settles "nothing under this key" as not charged only once the grace has passed', async () => {
    const t = await run(await newDatabase(), new MemoryStatusStore());
    t.connector.answer = timeout;
    const { view } = t.service.create(t.call.id, request());
    t.key(`${CARD}#1230123`);
    await settle();
    await t.reconciler.reconcileNow();
    expect(t.service.get(view.id).status).toBe('unknown');
    t.time.advance(60_000);
    await t.reconciler.reconcileNow();
    expect(t.service.get(view.id)).toMatchObject({
      status: 'failed',
      result: { outcome: 'payment-connector-error' },
    });
    expect(t.charges.inDoubt()).toEqual([]);
  });

  it('keeps a pending charge, and one the processor cannot be asked about, unknown', async () => {
    const t = await run(await newDatabase(), new MemoryStatusStore());
    t.connector.answer = timeout;
    const { view } = t.service.create(t.call.id, request());
    t.key(`${CARD}#1230123`);
    await settle();
    t.connector.lookupAnswer = async () => ({ found: 'pending' });
    t.time.advance(120_000);
    await t.reconciler.reconcileNow();
    t.connector.lookupAnswer = timeout;
    await t.reconciler.reconcileNow();
    expect(t.service.get(view.id).status).toBe('unknown');
    expect(t.charges.inDoubt()).toHaveLength(1);
  });

  it('after a crash mid-charge: the next run refuses a new charge on the call, then settles it declined', async () => {
    const file = await newDatabase();
    const store = new MemoryStatusStore();
    const first = await run(file, store);
    first.connector.answer = () => new Promise(() => undefined); // the process dies while it waits
    const callback = 'https://crm.example.com/hooks/payments';
    const { view } = first.service.create(first.call.id, request({ statusCallback: callback }));
    first.key(`${CARD}#1230123`);
    await settle();
    expect(first.charges.inDoubt()).toEqual([expect.objectContaining({ state: 'sending' })]);
    // the record keeps where callbacks go and the last change's number: a change after a restart follows on
    const before = store.get(view.id);
    expect(before).toMatchObject({
      status: 'processing',
      statusCallback: callback,
      sequence: expect.any(Number),
    });
    // the status file's reading at start: processing + a charge in doubt → unknown
    store.save({ ...(store.get(view.id) as PaymentStatusRecord), status: 'unknown', outcome: 'unknown' });
    first.db.close();
    databases.splice(databases.indexOf(first.db), 1);

    const second = await run(file, store);
    expect(second.charges.inDoubt()).toEqual([
      expect.objectContaining({ paymentId: view.id, state: 'unknown' }),
    ]);
    expect(() => second.service.create(second.call.id, request({ idempotencyKey: 'order-2' }))).toThrow(
      expect.objectContaining({ code: 'GW_ERR_CHARGE_IN_DOUBT' }),
    );
    // a payment that moves no money may go on
    const tokenOnly = request({ idempotencyKey: 'order-3', chargeAmount: undefined, currency: undefined });
    expect(second.service.create(second.call.id, tokenOnly).created).toBe(true);
    second.connector.lookupAnswer = async () => ({
      found: 'result',
      result: {
        outcome: 'declined',
        declineCode: 'insufficient_funds',
        reason: 'The card has insufficient funds.',
      },
    });
    const announced: PaymentStatusRecord[] = [];
    second.service.onEarlierRunChange((record) => announced.push(record));
    await second.reconciler.reconcileNow();
    expect(second.service.get(view.id)).toMatchObject({ status: 'failed', result: { outcome: 'declined' } });
    expect(second.charges.inDoubt()).toEqual([]);
    // the settlement reaches the status callbacks once, numbered after the last change the first run made
    expect(announced).toEqual([
      expect.objectContaining({
        id: view.id,
        status: 'failed',
        outcome: 'declined',
        statusCallback: callback,
        sequence: (before?.sequence ?? Number.NaN) + 1,
      }),
    ]);
    await second.reconciler.reconcileNow();
    expect(announced).toHaveLength(1);
  });

  it('a crash after the answer was made durable, before its row was removed: the stored outcome stands', async () => {
    const file = await newDatabase();
    const store = new MemoryStatusStore();
    const first = await run(file, store);
    const { view } = first.service.create(
      first.call.id,
      request({ statusCallback: 'https://crm.example.com/hooks/payments' }),
    );
    first.key(`${CARD}#1230123`);
    await settle();
    expect(first.service.get(view.id)).toMatchObject({ status: 'succeeded' });
    const stored = store.get(view.id);
    expect(stored).toMatchObject({ status: 'succeeded', outcome: 'success' });
    // the window: the outcome is in the status store, the row not yet deleted (the process dies here)
    first.charges.sending({
      paymentId: view.id,
      callId: first.call.id,
      agent: first.call.agent,
      processorKey: first.connector.requests[0]?.idempotencyKey ?? '',
      sentAt: first.time.now(),
    });
    first.db.close();
    databases.splice(databases.indexOf(first.db), 1);

    const second = await run(file, store);
    expect(second.charges.inDoubt()).toEqual([
      expect.objectContaining({ paymentId: view.id, state: 'unknown' }),
    ]);
    second.connector.lookupAnswer = async () => ({
      found: 'result',
      result: { outcome: 'success', token: 'tok_1', last4: '4242', confirmationCode: 'CH1' },
    });
    const announced: PaymentStatusRecord[] = [];
    second.service.onEarlierRunChange((record) => announced.push(record));
    await second.reconciler.reconcileNow();
    // the payment keeps what the first run stored; nothing is announced again; the row is gone
    expect(store.get(view.id)).toEqual(stored);
    expect(second.service.get(view.id)).toMatchObject({
      status: 'succeeded',
      result: { outcome: 'success' },
    });
    expect(announced).toEqual([]);
    expect(second.charges.inDoubt()).toEqual([]);
    expect(second.service.create(second.call.id, request({ idempotencyKey: 'order-2' })).created).toBe(true);
  });

  it('answers a retried create after a restart with the first payment, and refuses the key for another body', async () => {
    const file = await newDatabase();
    const store = new MemoryStatusStore();
    const first = await run(file, store);
    const { view } = first.service.create(first.call.id, request());
    first.key(`${CARD}#1230123`);
    await settle();
    expect(first.service.get(view.id).status).toBe('succeeded');
    first.db.close();
    databases.splice(databases.indexOf(first.db), 1);

    const second = await run(file, store);
    const again = second.service.create(second.call.id, request());
    expect(again).toMatchObject({ created: false, view: { id: view.id, status: 'succeeded' } });
    expect(second.connector.requests).toEqual([]);
    expect(() => second.service.create(second.call.id, request({ chargeAmount: '11.00' }))).toThrow(
      expect.objectContaining({ code: 'GW_ERR_IDEMPOTENCY_CONFLICT' }),
    );
    expect(second.service.replayCall(second.call.id, 'order-1')).toEqual({ agent: expect.any(String) });
  });
});

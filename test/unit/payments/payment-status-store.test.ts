import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlPaymentStatusStore } from '../../../src/adapters/payment-status/jsonl-payment-status-store.js';
import { CallRegistry } from '../../../src/application/calls/call-registry.js';
import { systemTimers } from '../../../src/application/clock.js';
import { noPrompts } from '../../../src/application/payments/payment-ports.js';
import { PaymentService } from '../../../src/application/payments/payment-service.js';
import type { PaymentStatusRecord } from '../../../src/application/payments/payment-status-store.js';
import { parseCreatePayment } from '../../../src/delivery/http/payment-schemas.js';
import type { KeypadKey } from '../../../src/domain/capture/keypad.js';
import { answeredEvent } from '../../support/call-fixtures.js';
import { captureLogs } from '../../support/log-capture.js';
import { ScriptedConnector } from '../../support/scripted-connector.js';

const dir = mkdtempSync(join(tmpdir(), 'tonewall-status-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CARD = '4242424242424242';
let clock = Date.parse('2026-11-23T10:00:00Z');

function open(file: string, retain = 100) {
  return JsonlPaymentStatusStore.open({
    file,
    retain,
    now: () => new Date(clock),
    logger: captureLogs().logger,
  });
}

function service(store: JsonlPaymentStatusStore, registry = new CallRegistry()) {
  const connector = new ScriptedConnector();
  const payments = new PaymentService({
    registry,
    connector,
    prompts: noPrompts,
    clock: { now: () => clock, monotonic: () => clock },
    timers: systemTimers,
    logger: captureLogs().logger,
    statusStore: store,
  });
  return { payments, registry, connector };
}

function answer(registry: CallRegistry, sipCallId: string) {
  return registry.answered(answeredEvent(sipCallId));
}

describe('payment status store', () => {
  it('ends payments a crashed run left capturing or processing as internal-error, readable by id', async () => {
    const file = join(dir, 'crash.jsonl');
    const firstStore = (await open(file)).store;
    const first = service(firstStore);
    const call1 = answer(first.registry, 'sip-1');
    const capturing = first.payments.create(call1.id, parseCreatePayment({ idempotencyKey: 'a' }));
    for (const key of CARD.slice(0, 8)) first.payments.onCustomerKey(call1, key as KeypadKey);
    const call2 = answer(first.registry, 'sip-2');
    first.connector.answer = () => new Promise(() => {}); // the processor never answers: still processing at the crash
    const hook = 'https://crm.example.com/hooks/b';
    const processing = first.payments.create(
      call2.id,
      parseCreatePayment({ idempotencyKey: 'b', statusCallback: hook }),
    );
    for (const key of `${CARD}#1230123`) first.payments.onCustomerKey(call2, key as KeypadKey);
    const done = first.payments.create(
      answer(first.registry, 'sip-3').id,
      parseCreatePayment({ idempotencyKey: 'c' }),
    );
    first.payments.cancel(done.view.id);
    expect(first.payments.get(processing.view.id).status).toBe('processing');
    expect(first.payments.get(capturing.view.id).fields['payment-card-number']?.digits).toBe(8);

    // "crash": nothing is closed; what was written is what a new process finds
    await firstStore.flush();
    clock += 60_000;
    const reopened = await open(file);
    expect(reopened.interrupted.map((record) => [record.id, record.interrupted])).toEqual([
      [capturing.view.id, 'capturing'],
      [processing.view.id, 'processing'],
    ]);
    // the ending is a change after the last one the first run numbered, for the payment's own callback
    expect(reopened.interrupted[1]).toMatchObject({ statusCallback: hook, sequence: expect.any(Number) });
    expect(reopened.interrupted[0]?.statusCallback).toBeUndefined();
    expect(reopened.interrupted[1]?.sequence).toBeGreaterThan(1);
    const second = service(reopened.store);
    expect(second.payments.get(capturing.view.id)).toMatchObject({
      status: 'failed',
      capture: null,
      result: { outcome: 'internal-error' },
      interrupted: 'capturing',
      // as of the field's last change of state (its second key, 42, decides the brand): a key that
      // only adds a digit is not saved
      fields: { 'payment-card-number': { state: 'capturing', digits: 2, masked: '**' } },
    });
    expect(second.payments.get(processing.view.id)).toMatchObject({
      status: 'failed',
      result: { outcome: 'internal-error' },
      interrupted: 'processing',
    });
    expect(second.payments.get(done.view.id)).toMatchObject({
      status: 'cancelled',
      result: { outcome: 'cancelled' },
    });
    expect(second.payments.callOf(capturing.view.id)).toEqual({ agent: 'agent-7' });
    expect(() => second.payments.cancel(capturing.view.id)).toThrow(
      expect.objectContaining({ code: 'GW_ERR_PAYMENT_STATE' }),
    );
    expect(() => second.payments.get('PK0')).toThrow(expect.objectContaining({ code: 'GW_ERR_NOT_FOUND' }));
    await reopened.store.close();

    // compacted: one line a payment, no digit run, no last four, no mask with digits
    const text = readFileSync(file, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(3);
    expect(text).not.toMatch(/\d{13,19}/);
    expect(text).not.toContain('42424242');
    expect(text).not.toContain('masked');
    expect(text).not.toContain('1230');
    expect(text).not.toContain('123"');
  });

  it('skips a torn or foreign line, keeps the newest payments, and refuses records with other fields', async () => {
    const file = join(dir, 'torn.jsonl');
    const record = (n: number): PaymentStatusRecord => ({
      id: `PK${n.toString(16).padStart(32, '0')}`,
      callId: `CA${'1'.repeat(32)}`,
      agent: 'agent-7',
      status: 'cancelled',
      capture: null,
      required: [],
      fields: {},
      outcome: 'cancelled',
      startedAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
    });
    const lines = Array.from({ length: 150 }, (_, n) => JSON.stringify(record(n)));
    lines.push(JSON.stringify({ ...record(999), pan: CARD }));
    lines.push(JSON.stringify(record(1000)).slice(0, 40));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { store } = await open(file, 100);
    expect(store.get(record(149).id)).toBeDefined();
    expect(store.get(record(49).id)).toBeUndefined();
    expect(store.get(record(50).id)).toBeDefined();
    expect(store.get(record(999).id)).toBeUndefined();
    await store.close();
    const text = readFileSync(file, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(100);
    expect(text).not.toContain(CARD);
  });

  it('compacts while running once the file holds four times the payments it keeps', async () => {
    const file = join(dir, 'grow.jsonl');
    const { store } = await open(file, 100);
    const { payments, registry } = service(store);
    for (let n = 0; n < 60; n += 1) {
      const call = answer(registry, `sip-grow-${n}`);
      const { view } = payments.create(call.id, parseCreatePayment({ idempotencyKey: `k${n}` }));
      for (const key of '12345678') payments.onCustomerKey(call, key as KeypadKey);
      payments.cancel(view.id);
      await store.flush();
    }
    await store.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n').length;
    expect(lines).toBeLessThanOrEqual(400);
    expect(lines).toBeGreaterThanOrEqual(60);
  });

  it('saves a payment when its state changes, not for each digit keyed', async () => {
    const file = join(dir, 'changes.jsonl');
    const { store } = await open(file);
    const { payments, registry } = service(store);
    const call = answer(registry, 'sip-changes');
    const { view } = payments.create(call.id, parseCreatePayment({ idempotencyKey: 'changes' }));
    for (const key of `${CARD}#`) payments.onCustomerKey(call, key as KeypadKey);
    await store.flush();
    const saved = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as PaymentStatusRecord)
      .filter((record) => record.id === view.id)
      .map((record) => record.fields['payment-card-number']);
    // started (0 digits), second key (42 decides the brand), submitted: 17 keys, 3 lines
    expect(saved.map((field) => [field?.state, field?.digits, field?.brand, field?.valid])).toEqual([
      ['capturing', 0, undefined, undefined],
      ['capturing', 2, 'visa', undefined],
      ['captured', 16, 'visa', true],
    ]);
    await store.close();
  });
});

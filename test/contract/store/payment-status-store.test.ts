import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentStatusRecord } from '../../../src/application/payments/payment-status-store.js';
import { openBackend, type StateBackend } from '../../support/state-backends.js';

const hex = (n: number) => n.toString(16).padStart(32, '0');
const record = (n: number, overrides: Partial<PaymentStatusRecord> = {}): PaymentStatusRecord => ({
  id: `PK${hex(n)}`,
  callId: `CA${hex(n)}`,
  agent: 'agent-7',
  status: 'in-progress',
  capture: 'payment-card-number',
  required: ['payment-card-number', 'expiration-date'],
  fields: { 'payment-card-number': { state: 'capturing', digits: 6, brand: 'visa' } },
  startedAt: '2026-12-03T10:00:00.000Z',
  updatedAt: '2026-12-03T10:00:01.000Z',
  sequence: 3,
  ...overrides,
});
const AT = new Date('2026-12-03T11:00:00.000Z');

describe.each(['embedded', 'redis'] as const)('the payment status store, %s', (name) => {
  let backend: StateBackend;
  beforeAll(async () => {
    backend = await openBackend(name);
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('answers the latest status saved, and the next run reads it after a flush', async () => {
    const { store } = await backend.status();
    const done = record(1, { status: 'succeeded', capture: null, outcome: 'success', sequence: 9 });
    store.save(record(1));
    store.save(done);
    expect(store.get(done.id)).toEqual(done);
    expect(store.get(`PK${hex(999)}`)).toBeUndefined();
    await store.flush();
    const { store: next, interrupted } = await backend.status({ now: AT });
    expect(next.get(done.id)).toEqual(done);
    expect(interrupted.map((ended) => ended.id)).not.toContain(done.id);
  });

  it("the next run ends the run's unfinished payments: capturing failed, charging unknown", async () => {
    const { store } = await backend.status();
    store.save(record(2));
    store.save(record(3, { status: 'processing', capture: null }));
    store.save(record(4, { status: 'processing', capture: null }));
    await store.flush();
    const charging = `PK${hex(4)}`;
    const { store: next, interrupted } = await backend.status({ now: AT, inDoubt: (id) => id === charging });
    const byId = Object.fromEntries(interrupted.map((ended) => [ended.id, ended]));
    expect(byId[`PK${hex(2)}`]).toMatchObject({
      status: 'failed',
      outcome: 'internal-error',
      interrupted: 'capturing',
      capture: null,
      updatedAt: AT.toISOString(),
      sequence: 4,
    });
    expect(byId[`PK${hex(3)}`]).toMatchObject({ status: 'failed', interrupted: 'processing' });
    expect(byId[charging]).toMatchObject({
      status: 'unknown',
      outcome: 'unknown',
      interrupted: 'processing',
    });
    expect(next.get(`PK${hex(2)}`)?.status).toBe('failed');
    // ended once: the run after finds nothing left to end
    await next.flush();
    const { interrupted: again } = await backend.status({ now: AT });
    expect(again.map((ended) => ended.id)).not.toContain(`PK${hex(2)}`);
  });
});

describe('the Redis payment status store shared by two gateways', () => {
  let backend: StateBackend;
  beforeAll(async () => {
    backend = await openBackend('redis');
  });
  afterAll(async () => {
    await backend?.close();
  });

  it("gateway B reads A's live payment at once, and B's start does not end it", async () => {
    const { store: a } = await backend.status({ owner: 'gw-a' });
    const live = record(10);
    a.save(live);
    await a.flush();
    const { store: b, interrupted } = await backend.status({ owner: 'gw-b', now: AT });
    expect(interrupted).toEqual([]);
    expect(b.get(live.id)).toEqual(live);
    a.save({ ...live, status: 'succeeded', capture: null, outcome: 'success', sequence: 4 });
    await a.flush();
    expect(b.get(live.id)?.status).toBe('succeeded');
    // A's next start has nothing left to end: its open set lost the payment when it finished
    const { interrupted: atRestart } = await backend.status({ owner: 'gw-a', now: AT });
    expect(atRestart).toEqual([]);
  });

  it('lets a status expire 30 days after its last change', async () => {
    const { store } = await backend.status();
    store.save(record(11, { status: 'failed', capture: null, outcome: 'declined' }));
    await store.flush();
    const ttl = Number(backend.redis?.cli('PTTL', `tw:payment:PK${hex(11)}`));
    expect(ttl).toBeGreaterThan(29 * 24 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(30 * 24 * 3_600_000);
  });

  it('refuses a stored status with a field the schema does not know (a digit string)', async () => {
    const { store } = await backend.status();
    const tampered = JSON.stringify({ ...record(12), pan: '4242424242424242' });
    backend.redis?.cli('SET', `tw:payment:PK${hex(12)}`, tampered);
    expect(() => store.get(`PK${hex(12)}`)).toThrow(expect.objectContaining({ code: 'GW_ERR_STATE_STORE' }));
  });
});

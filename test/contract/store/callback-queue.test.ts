import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStateDatabase, type StateDatabase } from '../../../src/adapters/store/state-database.js';
import type { CallbackQueue } from '../../../src/adapters/webhooks/callback-queue.js';
import { DeliveryQueue } from '../../../src/adapters/webhooks/delivery-queue.js';
import { RedisCallbackQueue } from '../../../src/adapters/webhooks/redis-callback-queue.js';
import { useTestRedis } from '../../support/redis-server.js';

const shared = useTestRedis();
const folder = mkdtempSync(join(tmpdir(), 'tonewall-callbacks-'));
const databases: StateDatabase[] = [];
afterAll(() => {
  for (const db of databases.splice(0)) db.close();
  rmSync(folder, { recursive: true, force: true });
});

const T0 = Date.now();
/** A queue on the store as a restarted (or another) gateway opens it; `now` is when its sender looks. */
const open = {
  embedded: async (name: string) => {
    const db = await openStateDatabase(join(folder, `${name}.sqlite`));
    databases.push(db);
    return (_owner: string, _now: number): CallbackQueue => new DeliveryQueue(db, T0);
  },
  redis: async (_name: string) => {
    const bridge = await shared.bridge();
    return (owner: string, now: number): CallbackQueue =>
      new RedisCallbackQueue(bridge, { owner, claimMs: 300, now: () => now });
  },
};
const delivery = (id: string, paymentId: string, now: number) => ({
  id,
  paymentId,
  url: 'https://crm.example/hooks',
  body: `{"n":"${id}"}`,
  now,
});

describe.each(['embedded', 'redis'] as const)('the status callback queue, %s', (kind) => {
  it("offers each payment's oldest pending delivery only, earliest due first, through retries and give-ups", async () => {
    const queueAt = await open[kind](`order-${kind}`);
    const q = queueAt('gw-a', T0 + 10);
    q.add(delivery('d1', 'PK1', T0 + 2));
    q.add(delivery('d2', 'PK1', T0 + 3));
    q.add(delivery('d3', 'PK1', T0 + 4));
    q.add(delivery('e1', 'PK2', T0 + 1));
    expect(q.heads(10).map((head) => head.id)).toEqual(['e1', 'd1']);
    expect(q.pendingCount).toBe(4);
    q.delivered('d1');
    expect(q.heads(10).map((head) => head.id)).toEqual(['e1', 'd2']);
    q.failed('d2', 1, 'status callback answered HTTP 500', T0 + 5);
    const later = queueAt('gw-a', T0 + 10);
    expect(later.heads(10)).toEqual([
      expect.objectContaining({ id: 'e1' }),
      {
        id: 'd2',
        paymentId: 'PK1',
        url: 'https://crm.example/hooks',
        body: '{"n":"d2"}',
        attempts: 1,
        dueAt: T0 + 5,
      },
    ]);
    later.failed('d2', 2, 'gave up', undefined);
    expect(later.heads(10).map((head) => head.id)).toEqual(['e1', 'd3']);
    expect(later.pendingCount).toBe(2);
    later.delivered('e1');
    later.delivered('d3');
    expect(later.heads(10)).toEqual([]);
    expect(later.pendingCount).toBe(0);
  });

  it('the next run (or the other gateway) finds what is left to send', async () => {
    const queueAt = await open[kind](`restart-${kind}`);
    queueAt('gw-a', T0).add(delivery('r1', 'PK3', T0));
    const next = queueAt('gw-a', T0 + 1);
    expect(next.pendingCount).toBe(1);
    expect(next.heads(10).map((head) => head.id)).toEqual(['r1']);
    next.delivered('r1');
    expect(next.pendingCount).toBe(0);
  });
});

describe('the Redis callback queue shared by two gateways', () => {
  it('a due delivery goes to one sender at a time; when its claim lapses (its gateway died) the other takes it', async () => {
    const queueAt = await open.redis('claims');
    queueAt('gw-a', T0).add(delivery('c1', 'PK9', T0));
    queueAt('gw-a', T0).add(delivery('c2', 'PK8', T0 + 60_000));
    expect(
      queueAt('gw-a', T0 + 1)
        .heads(10)
        .map((head) => head.id),
    ).toEqual(['c1', 'c2']);
    // B sees the delivery not yet due (to time its look) but not the one A claimed
    expect(
      queueAt('gw-b', T0 + 1)
        .heads(10)
        .map((head) => head.id),
    ).toEqual(['c2']);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(
      queueAt('gw-b', T0 + 2)
        .heads(10)
        .map((head) => head.id),
    ).toEqual(['c1', 'c2']);
    expect(
      queueAt('gw-a', T0 + 2)
        .heads(10)
        .map((head) => head.id),
    ).toEqual(['c2']);
    queueAt('gw-b', T0 + 2).delivered('c1');
    expect(shared.server().cli('EXISTS', 'tw:hook-lock:c1').trim()).toBe('0');
  });

  it('keeps a given-up delivery a week for operators, then Redis drops it', async () => {
    const queueAt = await open.redis('given-up');
    const q = queueAt('gw-a', T0);
    q.add(delivery('g1', 'PK7', T0));
    q.failed('g1', 5, 'gave up', undefined);
    const ttl = Number(shared.server().cli('PTTL', 'tw:hook:g1'));
    expect(ttl).toBeGreaterThan(6.9 * 24 * 3_600_000);
    expect(shared.server().cli('HGET', 'tw:hook:g1', 'state').trim()).toBe('given-up');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siblingModuleUrl, startModuleWorker } from '../../../src/adapters/module-worker.js';
import { RedisBridge } from '../../../src/adapters/store/redis-bridge.js';
import { RedisIdempotencyLedger } from '../../../src/adapters/store/redis-idempotency-ledger.js';
import { systemClock, systemTimers } from '../../../src/application/clock.js';
import { openBackend, type StateBackend } from '../../support/state-backends.js';

const held = (paymentId: string, fingerprint = 'f1') => ({ paymentId, fingerprint, callId: 'CA1', at: 1 });

/** `racers` threads, each with its own connection, hold one key at one signal; what each got. */
async function race(backend: StateBackend, keyHash: string, racers: number): Promise<string[]> {
  const start = new SharedArrayBuffer(4);
  const url = siblingModuleUrl(import.meta.url.replace('/contract/store/', '/support/'), 'idempotency-racer');
  const workers = Array.from({ length: racers }, (_, i) =>
    startModuleWorker(url, {
      workerData: { backend: backend.name, target: backend.target, start, keyHash, paymentId: `PK${i}` },
    }),
  );
  const results = workers.map(
    (worker) =>
      new Promise<string[]>((resolve, reject) => {
        const said: string[] = [];
        worker.on('message', (message: string) => said.push(message));
        worker.once('error', reject);
        worker.once('exit', () => resolve(said));
      }),
  );
  // every racer connected and waiting before the signal
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
  Atomics.store(new Int32Array(start), 0, 1);
  Atomics.notify(new Int32Array(start), 0);
  return (await Promise.all(results)).map((said) => said.at(-1) ?? 'nothing');
}

describe.each(['embedded', 'redis'] as const)('the idempotency ledger, %s', (name) => {
  let backend: StateBackend;
  beforeAll(async () => {
    backend = await openBackend(name);
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('finds nothing for a key never held', async () => {
    expect((await backend.idempotency()).find('never')).toBeUndefined();
  });

  it('a key held by one run (or gateway) is found by the next, with its fingerprint', async () => {
    const first = await backend.idempotency();
    first.hold('k-restart', held('PKa', 'fa'));
    const second = await backend.idempotency();
    expect(second.find('k-restart')).toEqual({ paymentId: 'PKa', fingerprint: 'fa' });
  });

  it('two runs that both found the key free: the first hold wins, the second throws and holds nothing', async () => {
    const a = await backend.idempotency();
    const b = await backend.idempotency();
    expect(a.find('k-race')).toBeUndefined();
    expect(b.find('k-race')).toBeUndefined();
    a.hold('k-race', held('PKa'));
    expect(() => b.hold('k-race', held('PKb'))).toThrow(
      expect.objectContaining({ code: 'GW_ERR_IDEMPOTENCY_CONFLICT' }),
    );
    expect(b.find('k-race')).toEqual({ paymentId: 'PKa', fingerprint: 'f1' });
  });

  it('six threads holding one key at the same signal: exactly one wins', async () => {
    const results = await race(backend, `k-threads-${name}`, 6);
    expect(
      results.filter((result) => result === 'won'),
      results.join(' '),
    ).toHaveLength(1);
    expect(results.filter((result) => result === 'GW_ERR_IDEMPOTENCY_CONFLICT')).toHaveLength(5);
    const winner = (await backend.idempotency()).find(`k-threads-${name}`);
    expect(winner?.paymentId).toMatch(/^PK[0-5]$/);
  }, 60_000);
});

describe('the Redis idempotency ledger', () => {
  let backend: StateBackend;
  beforeAll(async () => {
    backend = await openBackend('redis');
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('lets a key expire after its time to live (a day by default)', async () => {
    const bridge = await RedisBridge.open({
      url: backend.target,
      timeoutMs: 2_000,
      clock: systemClock,
      timers: systemTimers,
    });
    const short = new RedisIdempotencyLedger(bridge, { ttlMs: 200 });
    short.hold('k-ttl', held('PKt'));
    expect(short.find('k-ttl')).toEqual({ paymentId: 'PKt', fingerprint: 'f1' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(short.find('k-ttl')).toBeUndefined();
    (await backend.idempotency()).hold('k-day', held('PKd'));
    const ttl = Number(backend.redis?.cli('PTTL', 'tw:idem:k-day'));
    expect(ttl).toBeGreaterThan(23 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3_600_000);
    await bridge.close();
  });

  it('fails GW_ERR_STATE_STORE, holding nothing, when Redis is gone', async () => {
    const ledger = await backend.idempotency();
    await backend.redis?.stop();
    expect(() => ledger.hold('k-gone', held('PKg'))).toThrow(
      expect.objectContaining({ code: 'GW_ERR_STATE_STORE' }),
    );
    expect(() => ledger.find('k-gone')).toThrow(expect.objectContaining({ code: 'GW_ERR_STATE_STORE' }));
  });
});

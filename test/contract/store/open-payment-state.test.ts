import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonlPaymentStatusStore } from '../../../src/adapters/payment-status/jsonl-payment-status-store.js';
import { RedisPaymentStatusStore } from '../../../src/adapters/payment-status/redis-payment-status-store.js';
import { RedisIdempotencyLedger } from '../../../src/adapters/store/redis-idempotency-ledger.js';
import { RedisSessionRecords } from '../../../src/adapters/store/redis-session-records.js';
import { SqliteIdempotencyLedger } from '../../../src/adapters/store/sqlite-idempotency-ledger.js';
import { RedisCallbackQueue } from '../../../src/adapters/webhooks/redis-callback-queue.js';
import { systemClock, systemTimers } from '../../../src/application/clock.js';
import { openPaymentState } from '../../../src/composition/open-payment-state.js';
import { loadConfig } from '../../../src/config/config.js';
import { captureLogs } from '../../support/log-capture.js';
import { startTestRedis, type TestRedis } from '../../support/redis-server.js';

let redis: TestRedis;
let folder: string;
beforeAll(async () => {
  redis = await startTestRedis();
  folder = mkdtempSync(join(tmpdir(), 'tonewall-open-state-'));
});
afterAll(async () => {
  await redis?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) =>
  loadConfig({
    TONEWALL_STATE_DB: join(folder, 'state.sqlite'),
    TONEWALL_PAYMENT_STATUS_FILE: join(folder, 'payments.jsonl'),
    ...extra,
  });

describe('the composition root opens the payment state the setting names', () => {
  it('embedded by default: the state database and the status file', async () => {
    const state = await openPaymentState(env(), systemClock, captureLogs().logger, systemTimers);
    expect(state.statusStore).toBeInstanceOf(JsonlPaymentStatusStore);
    expect(state.idempotencyLedger).toBeInstanceOf(SqliteIdempotencyLedger);
    await state.close();
  });

  it('TONEWALL_STATE_STORE=redis: Redis, shared by two gateways, restarts included', async () => {
    const redisEnv = (instance: string) =>
      env({ TONEWALL_STATE_STORE: 'redis', TONEWALL_REDIS_URL: redis.url, TONEWALL_INSTANCE_NAME: instance });
    const a = await openPaymentState(redisEnv('gw-a'), systemClock, captureLogs().logger, systemTimers);
    expect(a.statusStore).toBeInstanceOf(RedisPaymentStatusStore);
    expect(a.idempotencyLedger).toBeInstanceOf(RedisIdempotencyLedger);
    expect(a.sessionRecords).toBeInstanceOf(RedisSessionRecords);
    expect(a.callbacks).toBeUndefined(); // callbacks off: no queue
    a.idempotencyLedger.hold('k-wired', { paymentId: 'PKw', fingerprint: 'f', callId: 'CAw', at: 1 });
    a.charges.sending({
      paymentId: 'PKw',
      callId: 'CAw',
      agent: 'x',
      processorKey: 'tw1_w',
      sentAt: Date.now(),
    });
    const b = await openPaymentState(redisEnv('gw-b'), systemClock, captureLogs().logger, systemTimers);
    expect(b.idempotencyLedger.find('k-wired')?.paymentId).toBe('PKw');
    expect(b.charges.inDoubt()).toEqual([]); // A's to reconcile
    expect(b.charges.inDoubtOnCall('CAw')).toBe(true);
    await a.close();
    // A's restart: its charge left sending is now unknown, for reconciliation
    const again = await openPaymentState(redisEnv('gw-a'), systemClock, captureLogs().logger, systemTimers);
    expect(again.charges.inDoubt()).toEqual([
      expect.objectContaining({ paymentId: 'PKw', state: 'unknown' }),
    ]);
    expect(redis.cli('--scan', '--pattern', 'tw:*').split('\n').filter(Boolean).sort()).toEqual(
      expect.arrayContaining(['tw:charge:PKw', 'tw:charges', 'tw:charges:call:CAw', 'tw:idem:k-wired']),
    );
    await Promise.all([again.close(), b.close()]);
  });

  it('with status callbacks on, their queue is in Redis too, looked at every 5 s', async () => {
    const config = env({
      TONEWALL_STATE_STORE: 'redis',
      TONEWALL_REDIS_URL: redis.url,
      TONEWALL_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
      TONEWALL_WEBHOOK_HOSTS: 'crm.example.com',
    });
    const state = await openPaymentState(config, systemClock, captureLogs().logger, systemTimers);
    expect(state.callbacks?.queue).toBeInstanceOf(RedisCallbackQueue);
    expect(state.callbacks?.pollMs).toBe(5_000);
    await state.close();
    const embedded = await openPaymentState(
      env({
        TONEWALL_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
        TONEWALL_WEBHOOK_HOSTS: 'crm.example.com',
      }),
      systemClock,
      captureLogs().logger,
      systemTimers,
    );
    expect(embedded.callbacks).toBeUndefined();
    expect(embedded.sessionRecords).toBeUndefined();
    await embedded.close();
  });

  it('a Redis that does not answer stops the start with GW_ERR_STATE_STORE', async () => {
    const config = env({
      TONEWALL_STATE_STORE: 'redis',
      TONEWALL_REDIS_URL: 'redis://127.0.0.1:1',
      TONEWALL_REDIS_TIMEOUT_MS: '200',
    });
    await expect(
      openPaymentState(config, systemClock, captureLogs().logger, systemTimers),
    ).rejects.toMatchObject({
      code: 'GW_ERR_STATE_STORE',
    });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlPaymentStatusStore } from '../../src/adapters/payment-status/jsonl-payment-status-store.js';
import { RedisPaymentStatusStore } from '../../src/adapters/payment-status/redis-payment-status-store.js';
import { RedisBridge } from '../../src/adapters/store/redis-bridge.js';
import { RedisChargeLedger } from '../../src/adapters/store/redis-charge-ledger.js';
import { RedisIdempotencyLedger } from '../../src/adapters/store/redis-idempotency-ledger.js';
import { SqliteChargeLedger } from '../../src/adapters/store/sqlite-charge-ledger.js';
import { SqliteIdempotencyLedger } from '../../src/adapters/store/sqlite-idempotency-ledger.js';
import { openStateDatabase, type StateDatabase } from '../../src/adapters/store/state-database.js';
import { systemClock, systemTimers } from '../../src/application/clock.js';
import type { ChargeLedger } from '../../src/application/payments/charge-ledger.js';
import type { IdempotencyLedger } from '../../src/application/payments/idempotency-ledger.js';
import type {
  PaymentStatusRecord,
  PaymentStatusStore,
} from '../../src/application/payments/payment-status-store.js';
import { captureLogs } from './log-capture.js';
import { startTestRedis, type TestRedis } from './redis-server.js';

/** How one gateway run opens the payment side's stores; `owner` names the gateway (Redis only). */
export interface StateBackend {
  readonly name: 'embedded' | 'redis';
  /** The Redis of the run (redis only). */
  readonly redis: TestRedis | undefined;
  idempotency(): Promise<IdempotencyLedger>;
  charges(options?: { owner?: string }): Promise<ChargeLedger>;
  status(options?: {
    owner?: string;
    inDoubt?: (paymentId: string) => boolean;
    now?: Date;
  }): Promise<{ store: PaymentStatusStore; interrupted: PaymentStatusRecord[] }>;
  /** What a worker thread needs to open the idempotency ledger on the same state. */
  readonly target: string;
  close(): Promise<void>;
}

/**
 * The single box (a state database file and a status file in a temp folder; each call opens a new
 * connection, as a restarted gateway does) or a real redis-server (each call a new connection, as a
 * second gateway has).
 */
export async function openBackend(name: 'embedded' | 'redis'): Promise<StateBackend> {
  return name === 'embedded' ? embedded() : redis();
}

async function embedded(): Promise<StateBackend> {
  const folder = mkdtempSync(join(tmpdir(), 'tonewall-state-'));
  const file = join(folder, 'state.sqlite');
  const databases: StateDatabase[] = [];
  const stores: PaymentStatusStore[] = [];
  const db = async () => {
    const opened = await openStateDatabase(file);
    databases.push(opened);
    return opened;
  };
  return {
    name: 'embedded',
    redis: undefined,
    target: file,
    idempotency: async () => new SqliteIdempotencyLedger(await db()),
    charges: async () => new SqliteChargeLedger(await db()),
    async status(options = {}) {
      // one writer at a time: a restart closes the run before
      for (const store of stores.splice(0)) await store.close();
      const opened = await JsonlPaymentStatusStore.open({
        file: join(folder, 'payments.jsonl'),
        retain: 1_000,
        now: () => options.now ?? new Date(),
        logger: captureLogs().logger,
        ...(options.inDoubt ? { inDoubt: options.inDoubt } : {}),
      });
      stores.push(opened.store);
      return opened;
    },
    async close() {
      for (const store of stores.splice(0)) await store.close();
      for (const opened of databases.splice(0)) opened.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

async function redis(): Promise<StateBackend> {
  const server = await startTestRedis();
  const bridges: RedisBridge[] = [];
  const bridge = async () => {
    const opened = await RedisBridge.open({
      url: server.url,
      timeoutMs: 2_000,
      clock: systemClock,
      timers: systemTimers,
    });
    bridges.push(opened);
    return opened;
  };
  return {
    name: 'redis',
    redis: server,
    target: server.url,
    idempotency: async () => new RedisIdempotencyLedger(await bridge()),
    charges: async (options = {}) =>
      new RedisChargeLedger(await bridge(), { owner: options.owner ?? 'gw-a' }),
    status: async (options = {}) =>
      RedisPaymentStatusStore.open({
        bridge: await bridge(),
        owner: options.owner ?? 'gw-a',
        now: () => options.now ?? new Date(),
        logger: captureLogs().logger,
        ...(options.inDoubt ? { inDoubt: options.inDoubt } : {}),
      }),
    async close() {
      for (const opened of bridges.splice(0)) await opened.close();
      await server.stop();
    },
  };
}

import { parentPort, workerData } from 'node:worker_threads';
import { RedisBridge } from '../../src/adapters/store/redis-bridge.js';
import { RedisIdempotencyLedger } from '../../src/adapters/store/redis-idempotency-ledger.js';
import { SqliteIdempotencyLedger } from '../../src/adapters/store/sqlite-idempotency-ledger.js';
import { openStateDatabase } from '../../src/adapters/store/state-database.js';
import { systemClock, systemTimers } from '../../src/application/clock.js';

/**
 * One racer of the idempotency contract test, on a thread of its own with its own connection: it
 * opens the ledger, says `ready`, waits for the shared start signal, holds the key and reports
 * `won` or the error code it got.
 */
const task = workerData as {
  backend: 'embedded' | 'redis';
  target: string;
  start: SharedArrayBuffer;
  keyHash: string;
  paymentId: string;
};
const port = parentPort;
if (!port) throw new Error('a racer runs in a worker thread');

const bridge =
  task.backend === 'redis'
    ? await RedisBridge.open({ url: task.target, timeoutMs: 5_000, clock: systemClock, timers: systemTimers })
    : undefined;
const db = task.backend === 'embedded' ? await openStateDatabase(task.target) : undefined;
const ledger = bridge
  ? new RedisIdempotencyLedger(bridge)
  : new SqliteIdempotencyLedger(db as NonNullable<typeof db>);
port.postMessage('ready');
Atomics.wait(new Int32Array(task.start), 0, 0);
let result: string;
try {
  ledger.hold(task.keyHash, { paymentId: task.paymentId, fingerprint: 'f1', callId: 'CA1', at: 1 });
  result = 'won';
} catch (error) {
  result = (error as { code?: string }).code ?? String(error);
}
port.postMessage(result);
await bridge?.close();
db?.close();

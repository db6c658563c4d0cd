import { JsonlPaymentStatusStore } from '../adapters/payment-status/jsonl-payment-status-store.js';
import { SqliteChargeLedger } from '../adapters/store/sqlite-charge-ledger.js';
import { SqliteIdempotencyLedger } from '../adapters/store/sqlite-idempotency-ledger.js';
import { openStateDatabase, type StateDatabase } from '../adapters/store/state-database.js';
import type { CallbackQueue } from '../adapters/webhooks/callback-queue.js';
import type { SessionRecords } from '../application/access/session-records.js';
import type { ChainOwnership } from '../application/calls/chain-ownership.js';
import { type Clock, systemTimers, type Timers } from '../application/clock.js';
import type { ChargeLedger } from '../application/payments/charge-ledger.js';
import type { IdempotencyLedger } from '../application/payments/idempotency-ledger.js';
import type {
  PaymentStatusRecord,
  PaymentStatusStore,
} from '../application/payments/payment-status-store.js';
import type { Config } from '../config/config.js';
import type { HealthProbe } from '../delivery/http/health-routes.js';
import type { Logger } from '../logger.js';
import { openRedisPaymentState, type SharedPaymentState } from './open-redis-payment-state.js';

export interface PaymentState {
  /** The embedded store the stateful adapters share (closed last, by `close`). */
  readonly db: StateDatabase;
  readonly statusStore: PaymentStatusStore;
  readonly idempotencyLedger: IdempotencyLedger;
  readonly charges: ChargeLedger;
  /** The payments an earlier run left unfinished, ended at open (failed, or unknown when charging). */
  readonly ended: readonly PaymentStatusRecord[];
  /** Agents' sessions shared by the gateways (Redis); undefined: each gateway's memory. */
  readonly sessionRecords?: SessionRecords;
  /** A pair's media chains (Redis): whose each call is; undefined: this gateway takes every call. */
  readonly chains?: ChainOwnership;
  /** The status callback queue shared by the gateways (Redis); undefined: the state database's. */
  readonly callbacks?: { readonly queue: CallbackQueue; readonly pollMs: number };
  /** /healthz components of a shared store (Redis); none for the embedded one. */
  readonly health?: Readonly<Record<string, HealthProbe>>;
  close(): Promise<void>;
}

/**
 * Opens what payments keep across restarts: the state database and the status file, or, with
 * TONEWALL_STATE_STORE=redis, Redis for the payment side (the state database then keeps the status
 * callback queue only). Payments a stopped or crashed run left unfinished end here, before any call
 * event, and each is logged.
 */
export async function openPaymentState(
  config: Config,
  clock: Clock,
  logger: Logger,
  timers: Timers = systemTimers,
): Promise<PaymentState> {
  const db = await openStateDatabase(config.stateDb);
  if (config.stateStore.kind === 'redis') {
    let shared: SharedPaymentState;
    try {
      shared = await openRedisPaymentState(config.stateStore, config, { clock, timers }, logger);
    } catch (error) {
      db.close();
      throw error;
    }
    logEnded(shared.ended, logger);
    return {
      db,
      ...shared,
      async close() {
        await shared.close();
        db.close();
      },
    };
  }
  // charges an earlier run sent without an answer: their payments become `unknown`, not failed
  const charges = new SqliteChargeLedger(db);
  const doubted = new Set(charges.inDoubt().map((charge) => charge.paymentId));
  const { store: statusStore, interrupted } = await JsonlPaymentStatusStore.open({
    inDoubt: (paymentId) => doubted.has(paymentId),
    file: config.paymentStatus.file,
    retain: config.paymentStatus.retain,
    now: () => new Date(clock.now()),
    logger: logger.child({ part: 'payment-status' }),
  });
  logEnded(interrupted, logger);
  return {
    db,
    statusStore,
    idempotencyLedger: new SqliteIdempotencyLedger(db),
    charges,
    ended: interrupted,
    async close() {
      await statusStore.close();
      db.close();
    },
  };
}

function logEnded(records: readonly PaymentStatusRecord[], logger: Logger): void {
  for (const record of records) {
    logger.warn(
      { paymentId: record.id, callId: record.callId, was: record.interrupted, outcome: record.outcome },
      record.status === 'unknown'
        ? 'payment of an earlier run was charging when it stopped: unknown until reconciled'
        : 'payment of an earlier run ended as internal-error',
    );
  }
}

import { RedisPaymentStatusStore } from '../adapters/payment-status/redis-payment-status-store.js';
import { RedisBridge } from '../adapters/store/redis-bridge.js';
import { RedisChargeLedger } from '../adapters/store/redis-charge-ledger.js';
import { RedisIdempotencyLedger } from '../adapters/store/redis-idempotency-ledger.js';
import { RedisMediaChains } from '../adapters/store/redis-media-chains.js';
import { RedisSessionRecords } from '../adapters/store/redis-session-records.js';
import type { CallbackQueue } from '../adapters/webhooks/callback-queue.js';
import { RedisCallbackQueue } from '../adapters/webhooks/redis-callback-queue.js';
import type { SessionRecords } from '../application/access/session-records.js';
import { ChainOwnership } from '../application/calls/chain-ownership.js';
import type { Clock, Timers } from '../application/clock.js';
import type { ChargeLedger } from '../application/payments/charge-ledger.js';
import type { IdempotencyLedger } from '../application/payments/idempotency-ledger.js';
import type {
  PaymentStatusRecord,
  PaymentStatusStore,
} from '../application/payments/payment-status-store.js';
import type { Config } from '../config/config.js';
import type { StateStoreSettings } from '../config/state-store-settings.js';
import type { HealthProbe } from '../delivery/http/health-routes.js';
import type { Logger } from '../logger.js';
import { stateStoreHealth } from './state-store-health.js';

/** A sender's claim on a due callback outlasts its attempt by this much. */
const CLAIM_MARGIN_MS = 5_000;
/** How often a gateway looks for callbacks another gateway left (its claims lapsed). */
const CALLBACK_POLL_MS = 5_000;

export interface SharedPaymentState {
  readonly statusStore: PaymentStatusStore;
  readonly idempotencyLedger: IdempotencyLedger;
  readonly charges: ChargeLedger;
  /** This gateway's payments its earlier run left unfinished, ended at open. */
  readonly ended: readonly PaymentStatusRecord[];
  readonly sessionRecords: SessionRecords;
  /** Whose media chain each call is: payments on another gateway's chain are refused. */
  readonly chains: ChainOwnership;
  /** The /healthz component of the store. */
  readonly health: Readonly<Record<string, HealthProbe>>;
  /** Undefined when status callbacks are off. */
  readonly callbacks: { readonly queue: CallbackQueue; readonly pollMs: number } | undefined;
  close(): Promise<void>;
}

/**
 * The payment side's state in Redis (TONEWALL_STATE_STORE=redis; docs/operations.md, "Shared
 * state"): one bridge for the payment adapters and the agents' sessions. Charges first, as with the embedded store: the status
 * store's open asks which of this gateway's unfinished payments were charging.
 */
export async function openRedisPaymentState(
  settings: Extract<StateStoreSettings, { kind: 'redis' }>,
  config: Config,
  time: { clock: Clock; timers: Timers },
  logger: Logger,
): Promise<SharedPaymentState> {
  const bridge = await RedisBridge.open({ url: settings.url, timeoutMs: settings.timeoutMs, ...time });
  const charges = new RedisChargeLedger(bridge, { owner: settings.instance });
  const doubted = new Set(charges.inDoubt().map((charge) => charge.paymentId));
  const { store, interrupted } = await RedisPaymentStatusStore.open({
    bridge,
    owner: settings.instance,
    now: () => new Date(time.clock.now()),
    logger: logger.child({ part: 'payment-status' }),
    inDoubt: (paymentId) => doubted.has(paymentId),
  });
  const chains = new ChainOwnership({
    nodes: settings.mediaNodes,
    self: { instance: settings.instance, url: settings.gatewayUrl },
    directory: new RedisMediaChains(bridge),
  });
  chains.announce();
  logger.info(
    { instance: settings.instance, mediaNodes: settings.mediaNodes },
    'payment state in Redis (shared state store); media chain announced',
  );
  return {
    statusStore: store,
    idempotencyLedger: new RedisIdempotencyLedger(bridge),
    charges,
    ended: interrupted,
    sessionRecords: new RedisSessionRecords(bridge),
    chains,
    health: { stateStore: stateStoreHealth(bridge, time.timers, settings.timeoutMs) },
    callbacks: config.webhooks && {
      queue: new RedisCallbackQueue(bridge, {
        owner: settings.instance,
        claimMs: config.webhooks.attemptTimeoutMs + CLAIM_MARGIN_MS,
        now: () => time.clock.now(),
      }),
      pollMs: CALLBACK_POLL_MS,
    },
    async close() {
      await store.close();
      await bridge.close();
    },
  };
}

import { GatewayError } from '../../errors.js';
import type { RedisBridge } from '../store/redis-bridge.js';
import type { CallbackQueue, Delivery } from './callback-queue.js';
import { ADD, DELIVERED, FAILED, HEADS } from './redis-callback-scripts.js';

/** Given-up deliveries are kept this long for operators to look at, then dropped (as in the state database). */
const KEEP_GIVEN_UP_MS = 7 * 24 * 3_600_000;

export interface RedisCallbackQueueOptions {
  /** This gateway (TONEWALL_INSTANCE_NAME): whose claim a due delivery is. */
  readonly owner: string;
  /** How long a claim holds: longer than one attempt (TONEWALL_WEBHOOK_TIMEOUT_MS), so only a dead sender's lapses. */
  readonly claimMs: number;
}

/**
 * Status callbacks queued in Redis, shared by the gateways (redis-callback-scripts.ts for the layout):
 * any gateway may queue a payment's callbacks and any may send them, one sender at a time per due
 * delivery (its claim), each payment's in order. A gateway that stops leaves its claims to lapse;
 * another gateway's sender then takes them at its next look (WebhookSender `pollMs`).
 */
export class RedisCallbackQueue implements CallbackQueue {
  readonly #bridge: RedisBridge;
  readonly #options: RedisCallbackQueueOptions;
  readonly #now: () => number;

  constructor(bridge: RedisBridge, options: RedisCallbackQueueOptions & { readonly now: () => number }) {
    this.#bridge = bridge;
    this.#options = options;
    this.#now = options.now;
  }

  add(delivery: { id: string; paymentId: string; url: string; body: string; now: number }): void {
    const { id, paymentId, url, body, now } = delivery;
    this.#bridge.call([['EVAL', ADD, '0', id, paymentId, url, body, String(now)]]);
  }

  heads(limit: number): Delivery[] {
    const { owner, claimMs } = this.#options;
    const [rows] = this.#bridge.call([
      ['EVAL', HEADS, '0', String(limit), String(this.#now()), owner, String(claimMs)],
    ]);
    if (!Array.isArray(rows)) return [];
    return rows.map((row) => {
      if (!Array.isArray(row) || row.length !== 6) {
        throw new GatewayError('GW_ERR_STATE_STORE', 'a status callback in the state store is unreadable');
      }
      const [id, paymentId, url, body, attempts, dueAt] = row.map(String);
      return { id, paymentId, url, body, attempts: Number(attempts), dueAt: Number(dueAt) } as Delivery;
    });
  }

  delivered(id: string): void {
    this.#bridge.call([['EVAL', DELIVERED, '0', id]]);
  }

  failed(id: string, attempts: number, error: string, dueAt: number | undefined): void {
    this.#bridge.call([
      [
        'EVAL',
        FAILED,
        '0',
        id,
        String(attempts),
        error,
        dueAt === undefined ? '' : String(dueAt),
        String(KEEP_GIVEN_UP_MS),
      ],
    ]);
  }

  get pendingCount(): number {
    const [count] = this.#bridge.call([['SCARD', 'tw:hooks:pending']]);
    return typeof count === 'number' ? count : 0;
  }
}

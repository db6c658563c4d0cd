import { z } from 'zod';
import type { HeldIdempotencyKey, IdempotencyLedger } from '../../application/payments/idempotency-ledger.js';
import { GatewayError } from '../../errors.js';
import { keyAlreadyHeld } from './idempotency-race.js';
import type { RedisBridge } from './redis-bridge.js';

/** Keys are scoped to a call, and no call outlives TONEWALL_DLG_TIMEOUT (at most a day). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;

const heldSchema = z
  .object({
    paymentId: z.string().max(64),
    fingerprint: z.string().max(128),
    callId: z.string().max(64),
    at: z.number().int(),
  })
  .strict();

/**
 * Idempotency keys in Redis, shared by the gateways: `tw:idem:<hash>` holds the first request's
 * payment and fingerprint, set with `SET … NX PX`, so of two gateways racing with one key exactly one
 * holds it. Each key expires after `ttlMs` (default a day: longer than any call it is scoped to).
 */
export class RedisIdempotencyLedger implements IdempotencyLedger {
  readonly #bridge: RedisBridge;
  readonly #ttlMs: number;

  constructor(bridge: RedisBridge, options: { ttlMs?: number } = {}) {
    this.#bridge = bridge;
    this.#ttlMs = options.ttlMs ?? IDEMPOTENCY_KEY_TTL_MS;
  }

  find(scopedKeyHash: string): HeldIdempotencyKey | undefined {
    const [value] = this.#bridge.call([['GET', keyOf(scopedKeyHash)]]);
    if (value === null || value === undefined) return undefined;
    const parsed = typeof value === 'string' ? heldSchema.safeParse(safeJson(value)) : undefined;
    if (!parsed?.success) {
      throw new GatewayError('GW_ERR_STATE_STORE', 'an idempotency key in the state store is unreadable');
    }
    return { paymentId: parsed.data.paymentId, fingerprint: parsed.data.fingerprint };
  }

  hold(
    scopedKeyHash: string,
    held: HeldIdempotencyKey & { readonly callId: string; readonly at: number },
  ): void {
    const value = JSON.stringify({
      paymentId: held.paymentId,
      fingerprint: held.fingerprint,
      callId: held.callId,
      at: held.at,
    });
    const [set] = this.#bridge.call([['SET', keyOf(scopedKeyHash), value, 'NX', 'PX', String(this.#ttlMs)]]);
    if (set === null) throw keyAlreadyHeld();
  }
}

function keyOf(scopedKeyHash: string): string {
  return `tw:idem:${scopedKeyHash}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

import type { IdempotencyStore } from './idempotency-store.js';
import { type CardPayload, PROTOCOL } from './wire-format.js';

/** Spec 4.1: why a payload is refused for the request it came with (HTTP 400, each its own code). */
export type BindingRefusal = 'idempotency_key_mismatch' | 'stale_request' | 'jti_reused';

/**
 * Spec 4.1, the payload bound to its request: its `idempotencyKey` must be the header's, its `iat`
 * within five minutes of now either way, and its `jti` not one seen under another key. The same
 * `jti` under the same key is a retry of the same request (an idempotent replay), not a refusal.
 */
export function bindingRefusal(
  payload: CardPayload,
  headerKey: string,
  now: number,
  store: IdempotencyStore,
): BindingRefusal | undefined {
  if (payload.idempotencyKey !== headerKey) return 'idempotency_key_mismatch';
  if (Math.abs(payload.iat - Math.floor(now / 1000)) > PROTOCOL.iatWindowSeconds) return 'stale_request';
  const seenUnder = store.keyOfJti(payload.jti, now);
  if (seenUnder !== undefined && seenUnder !== headerKey) return 'jti_reused';
  return undefined;
}

/**
 * What "the same payload" means (spec 2.1): everything but `iat` and `jti`, so the gateway's fresh
 * encryption of the same request under the same key is a replay, not a key reused.
 */
export function canonicalRequest(payload: CardPayload): string {
  const { iat: _iat, jti: _jti, ...request } = payload;
  return JSON.stringify(request);
}

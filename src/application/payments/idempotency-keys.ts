import { createHash } from 'node:crypto';
import { GatewayError } from '../../errors.js';
import type { IdempotencyLedger } from './idempotency-ledger.js';

/** An idempotency key as held: scoped to its call, with the fingerprint of the request that used it. */
export interface IdempotencyClaim {
  readonly scopedKey: string;
  /** The scoped key's hash: how the persisted ledger holds it. */
  readonly keyHash: string;
  readonly fingerprint: string;
  /**
   * The key the processor gets, derived from the caller's: every retry of one request, in this run or
   * after a restart, reaches the processor under the same key, so it charges once.
   */
  readonly processorKey: string;
}

const sha256 = (text: string) => createHash('sha256').update(text);

/** The claim a create request makes: its key on its call, and what it asked for. */
export function claimOf(callId: string, request: { readonly idempotencyKey: string }): IdempotencyClaim {
  const scopedKey = scopedKeyOf(callId, request.idempotencyKey);
  return {
    scopedKey,
    keyHash: sha256(scopedKey).digest('hex'),
    fingerprint: sha256(JSON.stringify(request)).digest('hex'),
    processorKey: `tw1_${sha256(`processor\u0000${scopedKey}`).digest('base64url')}`,
  };
}

/** The payment an earlier run started under this claim's key; throws when the request was another. */
export function heldBefore(ledger: IdempotencyLedger, claim: IdempotencyClaim): string | undefined {
  const held = ledger.find(claim.keyHash);
  if (!held) return undefined;
  if (held.fingerprint !== claim.fingerprint) throw conflict();
  return held.paymentId;
}

function conflict(): GatewayError {
  return new GatewayError(
    'GW_ERR_IDEMPOTENCY_CONFLICT',
    '"idempotencyKey" was used with a different request',
  );
}

function scopedKeyOf(callId: string, idempotencyKey: string): string {
  return `${callId}\u0000${idempotencyKey}`;
}

/**
 * Which payment each idempotency key started, so a retried create gets the same payment back and the
 * same key with another body is refused (GW_ERR_IDEMPOTENCY_CONFLICT). A key is scoped to its call.
 */
export class IdempotencyKeys<T> {
  readonly #held = new Map<string, { readonly fingerprint: string; readonly holder: T }>();

  /** What an earlier request with this claim's key started; throws when that request was another. */
  replay(claim: IdempotencyClaim): T | undefined {
    const held = this.#held.get(claim.scopedKey);
    if (held === undefined) return undefined;
    if (held.fingerprint !== claim.fingerprint) throw conflict();
    return held.holder;
  }

  /** What the key started on the call, whatever the request was. */
  find(callId: string, idempotencyKey: string): T | undefined {
    return this.#held.get(scopedKeyOf(callId, idempotencyKey))?.holder;
  }

  hold(claim: IdempotencyClaim, holder: T): void {
    this.#held.set(claim.scopedKey, { fingerprint: claim.fingerprint, holder });
  }

  /** Forgets the claim's key, if `holder` still holds it. */
  release(claim: IdempotencyClaim, holder: T): void {
    if (this.#held.get(claim.scopedKey)?.holder === holder) this.#held.delete(claim.scopedKey);
  }
}

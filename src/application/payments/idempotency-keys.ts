import { createHash } from 'node:crypto';
import { GatewayError } from '../../errors.js';

/** An idempotency key as held: scoped to its call, with the fingerprint of the request that used it. */
export interface IdempotencyClaim {
  readonly scopedKey: string;
  readonly fingerprint: string;
}

/** The claim a create request makes: its key on its call, and what it asked for. */
export function claimOf(callId: string, request: { readonly idempotencyKey: string }): IdempotencyClaim {
  return {
    scopedKey: scopedKeyOf(callId, request.idempotencyKey),
    fingerprint: createHash('sha256').update(JSON.stringify(request)).digest('hex'),
  };
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
    if (held.fingerprint !== claim.fingerprint) {
      throw new GatewayError(
        'GW_ERR_IDEMPOTENCY_CONFLICT',
        '"idempotencyKey" was used with a different request',
      );
    }
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

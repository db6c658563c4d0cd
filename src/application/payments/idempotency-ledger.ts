/**
 * Which payment each idempotency key started, kept across restarts and shared by the gateways of a
 * pair (single box: the state database, adapters/store/sqlite-idempotency-ledger.ts; several:
 * Redis, adapters/store/redis-idempotency-ledger.ts). Keys are scoped to their call and held by their
 * hash; the fingerprint is the hash of the request that used the key first. No card data.
 */
export interface HeldIdempotencyKey {
  readonly paymentId: string;
  readonly fingerprint: string;
}

export interface IdempotencyLedger {
  find(scopedKeyHash: string): HeldIdempotencyKey | undefined;
  /**
   * Records a key's first use; durable when it returns (before the payment starts). Atomic: when
   * another request holds the key already (one that raced this one, on this gateway or another), it
   * throws GW_ERR_IDEMPOTENCY_CONFLICT and holds nothing — a retry then finds the winner's payment.
   */
  hold(
    scopedKeyHash: string,
    held: HeldIdempotencyKey & { readonly callId: string; readonly at: number },
  ): void;
}

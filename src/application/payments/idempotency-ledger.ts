/**
 * Which payment each idempotency key started, kept across restarts (the single-box default is the
 * state database: adapters/store/sqlite-idempotency-ledger.ts). Keys are scoped to their call and held
 * by their hash; the fingerprint is the hash of the request that used the key first. No card data.
 */
export interface HeldIdempotencyKey {
  readonly paymentId: string;
  readonly fingerprint: string;
}

export interface IdempotencyLedger {
  find(scopedKeyHash: string): HeldIdempotencyKey | undefined;
  /** Records a key's first use; durable when it returns (before the payment starts). */
  hold(
    scopedKeyHash: string,
    held: HeldIdempotencyKey & { readonly callId: string; readonly at: number },
  ): void;
}

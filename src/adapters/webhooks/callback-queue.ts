/** One callback waiting to go out: its body is final (signed afresh at each attempt). */
export interface Delivery {
  /** The `webhook-id`, the same on every attempt and across restarts. */
  readonly id: string;
  readonly paymentId: string;
  readonly url: string;
  readonly body: string;
  /** Attempts made so far. */
  readonly attempts: number;
  /** Wall-clock ms at which the next attempt is due. */
  readonly dueAt: number;
}

/**
 * The status callbacks not yet delivered, kept across restarts (no card data: a body is the people
 * view of a payment). Per payment they go in the order queued: `heads` offers only each payment's
 * oldest pending one. One gateway: the state database (delivery-queue.ts); several: Redis
 * (redis-callback-queue.ts), where a due head is claimed by one sender at a time.
 */
export interface CallbackQueue {
  add(delivery: { id: string; paymentId: string; url: string; body: string; now: number }): void;
  /** Each payment's oldest pending delivery (the only one that may go), earliest due first. */
  heads(limit: number): Delivery[];
  delivered(id: string): void;
  /** An attempt failed: the next is due at `dueAt`, or, undefined, the delivery is given up. */
  failed(id: string, attempts: number, error: string, dueAt: number | undefined): void;
  readonly pendingCount: number;
}

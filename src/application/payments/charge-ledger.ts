/**
 * The charges that may have moved money without the gateway knowing the result: a write-ahead
 * record made before a charge is sent, removed when the processor's answer is known. What survives a
 * crash is exactly what must be reconciled. Single box: the state database
 * (adapters/store/sqlite-charge-ledger.ts). No card data: ids, the processor's key, the amount.
 */
export interface ChargeInDoubt {
  readonly paymentId: string;
  readonly callId: string;
  readonly agent: string;
  /** The idempotency key the processor got (and is asked about). */
  readonly processorKey: string;
  /** When the charge was sent (epoch ms). */
  readonly sentAt: number;
  /** `sending`: a run of this process is waiting for the answer; `unknown`: nobody is. */
  readonly state: 'sending' | 'unknown';
}

export interface ChargeLedger {
  /** Before the charge is sent; durable when it returns. */
  sending(charge: Omit<ChargeInDoubt, 'state'>): void;
  /** The answer came and says what happened (charged or not): nothing left to reconcile. */
  settled(paymentId: string): void;
  /** The answer did not come, or did not say: reconciliation takes over. */
  unknown(paymentId: string): void;
  /** Every charge still in doubt that this gateway reconciles (with a shared store: its own), oldest first. */
  inDoubt(): ChargeInDoubt[];
  /** Whether a charge on this call is still in doubt, any gateway's (no new payment starts there until it is not). */
  inDoubtOnCall(callId: string): boolean;
}

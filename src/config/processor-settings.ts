/** How the processor connector is built and retried, from the TONEWALL_PROCESSOR_* settings. */

/** Retries of one tokenisation (src/adapters/processors/retry-policy.ts applies it). */
export interface RetryPolicy {
  /** Attempts in all, the first included (1 = never retry). */
  readonly maxAttempts: number;
  /** Backoff before the first retry; it doubles for each further one. */
  readonly baseDelayMs: number;
  /** Ceiling of one backoff. */
  readonly maxDelayMs: number;
  /** Budget for all attempts and backoffs together, from the start of the first attempt. */
  readonly deadlineMs: number;
}

export type ProcessorSettings =
  | {
      /** `sandbox` is the JWE connector pointed at the project's own sandbox processor. */
      readonly kind: 'sandbox' | 'jwe';
      readonly url: string;
      readonly encryptionCertFile: string;
      readonly keyId?: string;
      readonly clientCertFile: string;
      readonly clientKeyFile: string;
      readonly caFile: string;
      readonly attemptTimeoutMs: number;
      readonly retry: RetryPolicy;
    }
  | {
      readonly kind: 'stripe';
      readonly secretKey: string;
      readonly attemptTimeoutMs: number;
      readonly retry: RetryPolicy;
    };

import type { Clock, Timers } from '../../application/clock.js';
import type { RetryPolicy } from '../../config/processor-settings.js';
import { GatewayError, isGatewayError } from '../../errors.js';

/**
 * When to try a processor request again. Pure: time and randomness come in as arguments, so the
 * whole policy is a table of inputs and answers (test/unit/processors/retry-policy.test.ts). Every
 * retry carries the same idempotency key; that is the caller's half of the contract.
 */
export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly reason: 'not-retryable' | 'attempts-exhausted' | 'deadline' };

/** Only a GatewayError that says so is retried; anything else is a bug or a refusal. */
export function isRetryable(error: unknown): boolean {
  return isGatewayError(error) && error.retryable;
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half is random, so retries from
 * many calls spread out but never come back at once. `failedAttempts` ≥ 1; `random` in [0, 1).
 */
export function backoffDelay(policy: RetryPolicy, failedAttempts: number, random: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(step / 2 + (Math.min(Math.max(random, 0), 1) * step) / 2);
}

/** Whether to try again after attempt number `attempt` (1-based) failed with `error`. */
export function decideRetry(
  policy: RetryPolicy,
  input: {
    readonly attempt: number;
    readonly elapsedMs: number;
    readonly error: unknown;
    readonly random: number;
  },
): RetryDecision {
  if (!isRetryable(input.error)) return { retry: false, reason: 'not-retryable' };
  if (input.attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
  const delayMs = backoffDelay(policy, input.attempt, input.random);
  if (input.elapsedMs + delayMs >= policy.deadlineMs) return { retry: false, reason: 'deadline' };
  return { retry: true, delayMs };
}

/** The time one attempt may take: its own limit, cut to what is left of the deadline. */
export function attemptTimeout(policy: RetryPolicy, perAttemptMs: number, elapsedMs: number): number {
  return Math.max(1, Math.floor(Math.min(perAttemptMs, policy.deadlineMs - elapsedMs)));
}

/** Whether an attempt that failed with `error` provably never reached the processor. */
export function provablyNotSent(error: unknown): boolean {
  return isGatewayError(error) && error.notSent;
}

/**
 * The error a retry sequence ends with. It decides the code, but it may say "not sent" only when no
 * earlier attempt may have reached the processor: a refused connection after a timed-out attempt
 * still leaves that first request in doubt.
 */
export function finalError(error: unknown, anEarlierAttemptMayHaveReached: boolean): unknown {
  if (!anEarlierAttemptMayHaveReached || !isGatewayError(error) || !error.notSent) return error;
  return new GatewayError(error.code, `${error.message} (an earlier attempt may have reached it)`, {
    retryable: error.retryable,
    cause: error,
  });
}

/** The retry loop's view of the injected clock and timers (src/application/clock.ts). */
export type RetryClock = Pick<Clock, 'monotonic'> & Pick<Timers, 'sleep'>;

export interface RetryRunOptions {
  readonly policy: RetryPolicy;
  /** Limit of one attempt before the deadline cuts it. */
  readonly attemptTimeoutMs: number;
  readonly clock: RetryClock;
  /** Source of jitter, [0, 1). */
  readonly random: () => number;
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Runs `operation` until it resolves, fails in a way the policy does not retry, or runs out of
 * attempts or time; then rethrows the last error (without `notSent` when an earlier attempt may have
 * reached the processor: finalError). The operation must honour `timeoutMs` itself.
 */
export async function withRetries<T>(
  operation: (attempt: { readonly attempt: number; readonly timeoutMs: number }) => Promise<T>,
  options: RetryRunOptions,
): Promise<T> {
  const { policy, clock } = options;
  const startedAt = clock.monotonic();
  let reached = false;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const timeoutMs = attemptTimeout(policy, options.attemptTimeoutMs, clock.monotonic() - startedAt);
      return await operation({ attempt, timeoutMs });
    } catch (error) {
      const decision = decideRetry(policy, {
        attempt,
        elapsedMs: clock.monotonic() - startedAt,
        error,
        random: options.random(),
      });
      if (!decision.retry) throw finalError(error, reached);
      if (!provablyNotSent(error)) reached = true;
      options.onRetry?.({ attempt, delayMs: decision.delayMs, error });
      await clock.sleep(decision.delayMs);
    }
  }
}

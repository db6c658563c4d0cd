import { randomInt } from 'node:crypto';
import type { Clock, Timers } from '../../application/clock.js';
import type { ProcessorResult } from '../../application/payments/processor-connector.js';
import type { RetryPolicy } from '../../config/processor-settings.js';
import type { Logger } from '../../logger.js';
import { withRetries } from './retry-policy.js';

/** The retry settings every connector takes. */
export interface ConnectorRetryOptions {
  readonly attemptTimeoutMs: number;
  readonly retry: RetryPolicy;
  /** Time for the deadline and the backoff (the composition root's clock and timers). */
  readonly clock: Clock;
  readonly timers: Timers;
  /** Jitter source in [0, 1); crypto-random by default. */
  readonly random?: () => number;
}

const cryptoRandom = () => randomInt(0, 1_000_000) / 1_000_000;

/**
 * Runs one connector's `attempt` under the retry policy and logs what happened: each retry, then
 * the outcome (last4 or decline code at most) or the final error. `logger` should carry the payment id.
 */
export async function tokeniseWithRetries(
  attempt: (timeoutMs: number) => Promise<ProcessorResult>,
  options: ConnectorRetryOptions & { readonly logger: Logger },
): Promise<ProcessorResult> {
  const { logger } = options;
  const { clock, timers } = options;
  const startedAt = clock.monotonic();
  let attempts = 0;
  try {
    const result = await withRetries(
      ({ timeoutMs }) => {
        attempts += 1;
        return attempt(timeoutMs);
      },
      {
        policy: options.retry,
        attemptTimeoutMs: options.attemptTimeoutMs,
        clock: { monotonic: () => clock.monotonic(), sleep: (ms) => timers.sleep(ms) },
        random: options.random ?? cryptoRandom,
        onRetry: ({ attempt: failed, delayMs, error }) =>
          logger.warn(
            { attempt: failed, delayMs, err: error },
            'processor attempt failed; retrying with the same key',
          ),
      },
    );
    logger.info(
      {
        outcome: result.outcome,
        ...(result.outcome === 'declined' ? { declineCode: result.declineCode } : { last4: result.last4 }),
        attempts,
        ms: Math.round(clock.monotonic() - startedAt),
      },
      'processor answered',
    );
    return result;
  } catch (error) {
    logger.warn({ err: error, attempts, ms: Math.round(clock.monotonic() - startedAt) }, 'processor failed');
    throw error;
  }
}

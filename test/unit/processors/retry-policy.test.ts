import { describe, expect, it } from 'vitest';
import {
  attemptTimeout,
  backoffDelay,
  decideRetry,
  type RetryClock,
  withRetries,
} from '../../../src/adapters/processors/retry-policy.js';
import type { RetryPolicy } from '../../../src/config/processor-settings.js';
import { GatewayError } from '../../../src/errors.js';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, deadlineMs: 10_000 };
const timeout = new GatewayError('GW_ERR_PROCESSOR_TIMEOUT', 't', { retryable: true });
const unavailable = new GatewayError('GW_ERR_PROCESSOR_UNAVAILABLE', 'u', { retryable: true });
const rejected = new GatewayError('GW_ERR_PROCESSOR_REJECTED', 'r');
const tlsRefused = new GatewayError('GW_ERR_PROCESSOR_UNAVAILABLE', 'tls', { retryable: false });

/** A clock that only moves when told to: sleeping advances it at once. */
function fakeClock(): { clock: RetryClock; slept: number[]; advance: (ms: number) => void } {
  let now = 1_000;
  const slept: number[] = [];
  return {
    clock: {
      monotonic: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    },
    slept,
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('backoffDelay', () => {
  it.each([
    // failedAttempts, random, expected: step = min(1000, 100·2^(n-1)); delay = step/2 + random·step/2
    [1, 0, 50],
    [1, 0.999_999, 100],
    [1, 0.5, 75],
    [2, 0, 100],
    [2, 0.5, 150],
    [3, 1, 400],
    [4, 0, 400],
    [5, 0, 500], // 1600 capped at 1000
    [10, 1, 1000],
    [1, -3, 50], // random is clamped to [0, 1]
    [1, 7, 100],
  ])('after %i failure(s) with random %d waits %i ms', (failed, random, expected) => {
    expect(backoffDelay(policy, failed, random)).toBe(expected);
  });
});

describe('decideRetry', () => {
  it.each([
    [
      'a retryable timeout on attempt 1',
      { attempt: 1, elapsedMs: 0, error: timeout, random: 0 },
      { retry: true, delayMs: 50 },
    ],
    [
      'a 5xx on attempt 3',
      { attempt: 3, elapsedMs: 500, error: unavailable, random: 1 },
      { retry: true, delayMs: 400 },
    ],
    [
      'the last attempt',
      { attempt: 4, elapsedMs: 0, error: timeout, random: 0 },
      { retry: false, reason: 'attempts-exhausted' },
    ],
    [
      'a refusal',
      { attempt: 1, elapsedMs: 0, error: rejected, random: 0 },
      { retry: false, reason: 'not-retryable' },
    ],
    [
      'a TLS refusal',
      { attempt: 1, elapsedMs: 0, error: tlsRefused, random: 0 },
      { retry: false, reason: 'not-retryable' },
    ],
    [
      'a foreign error',
      { attempt: 1, elapsedMs: 0, error: new Error('x'), random: 0 },
      { retry: false, reason: 'not-retryable' },
    ],
    [
      'a string',
      { attempt: 1, elapsedMs: 0, error: 'boom', random: 0 },
      { retry: false, reason: 'not-retryable' },
    ],
    [
      'a backoff that would cross the deadline',
      { attempt: 1, elapsedMs: 9_950, error: timeout, random: 0 },
      { retry: false, reason: 'deadline' },
    ],
    [
      'a backoff that ends just before it',
      { attempt: 1, elapsedMs: 9_949, error: timeout, random: 0 },
      { retry: true, delayMs: 50 },
    ],
  ] as const)('%s', (_name, input, expected) => {
    expect(decideRetry(policy, input)).toEqual(expected);
  });
});

describe('attemptTimeout', () => {
  it.each([
    [2000, 0, 2000],
    [2000, 9000, 1000],
    [2000, 10_000, 1],
    [2000, 12_000, 1],
  ])('per-attempt %i ms at elapsed %i ms gives %i ms', (perAttempt, elapsed, expected) => {
    expect(attemptTimeout(policy, perAttempt, elapsed)).toBe(expected);
  });
});

describe('withRetries with a fake clock', () => {
  it('retries retryable failures with growing backoff, then resolves', async () => {
    const { clock, slept } = fakeClock();
    const seen: Array<{ attempt: number; timeoutMs: number }> = [];
    const result = await withRetries(
      async (attempt) => {
        seen.push(attempt);
        if (attempt.attempt < 3) throw unavailable;
        return 'ok';
      },
      { policy, attemptTimeoutMs: 2000, clock, random: () => 0 },
    );
    expect(result).toBe('ok');
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(slept).toEqual([50, 100]);
  });

  it.each([
    ['stops at maxAttempts and rethrows the last error', timeout, 0.5, 4, [75, 150, 300]],
    ['does not retry a non-retryable error', rejected, 0, 1, []],
  ])('%s', async (_name, error, random, expectedCalls, expectedSleeps) => {
    const { clock, slept } = fakeClock();
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls += 1;
          throw error;
        },
        { policy, attemptTimeoutMs: 2000, clock, random: () => random },
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(expectedCalls);
    expect(slept).toEqual(expectedSleeps);
  });

  it('keeps to the total deadline: slow attempts get a shorter timeout and no retry crosses it', async () => {
    const { clock, advance } = fakeClock();
    const seen: number[] = [];
    await expect(
      withRetries(
        async ({ timeoutMs }) => {
          seen.push(timeoutMs);
          advance(timeoutMs); // the attempt uses all of its time, then times out
          throw timeout;
        },
        { policy: { ...policy, deadlineMs: 5_000 }, attemptTimeoutMs: 2000, clock, random: () => 0 },
      ),
    ).rejects.toBe(timeout);
    // 0–2000, sleep 50, 2050–4050, sleep 100, 4150–5000 (cut to 850), then the deadline forbids more.
    expect(seen).toEqual([2000, 2000, 850]);
  });

  it('reports each retry', async () => {
    const { clock } = fakeClock();
    const retries: Array<{ attempt: number; delayMs: number }> = [];
    await withRetries(
      async ({ attempt }) => {
        if (attempt === 1) throw timeout;
        return 1;
      },
      {
        policy,
        attemptTimeoutMs: 100,
        clock,
        random: () => 0,
        onRetry: ({ attempt, delayMs }) => retries.push({ attempt, delayMs }),
      },
    );
    expect(retries).toEqual([{ attempt: 1, delayMs: 50 }]);
  });
});

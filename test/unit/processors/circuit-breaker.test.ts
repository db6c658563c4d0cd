import { describe, expect, it } from 'vitest';
import {
  admit,
  type BreakerState,
  breakerStatus,
  CLOSED,
  record,
} from '../../../src/adapters/processors/circuit-breaker.js';
import { GuardedConnector } from '../../../src/adapters/processors/guarded-connector.js';
import type {
  ProcessorResult,
  TokeniseRequest,
} from '../../../src/application/payments/processor-connector.js';
import { GatewayError } from '../../../src/errors.js';
import { captureLogs } from '../../support/log-capture.js';
import { ScriptedConnector } from '../../support/scripted-connector.js';

const policy = { failureThreshold: 3, coolDownMs: 1000 };

describe('circuit breaker policy', () => {
  it.each<[string, BreakerState, 'answered' | 'unreachable', BreakerState]>([
    ['first failure counts', CLOSED, 'unreachable', { kind: 'closed', failures: 1 }],
    [
      'K-th consecutive failure opens',
      { kind: 'closed', failures: 2 },
      'unreachable',
      { kind: 'open', until: 1100 },
    ],
    ['an answer resets the count', { kind: 'closed', failures: 2 }, 'answered', CLOSED],
    [
      'failed trial opens again',
      { kind: 'half-open', trialInFlight: true },
      'unreachable',
      { kind: 'open', until: 1100 },
    ],
    ['answered trial closes', { kind: 'half-open', trialInFlight: true }, 'answered', CLOSED],
    ['late failure keeps it open', { kind: 'open', until: 900 }, 'unreachable', { kind: 'open', until: 900 }],
  ])('%s', (_name, state, result, expected) => {
    expect(record(policy, state, result, 100)).toEqual(expected);
  });

  it('fails fast while open, lets one trial through after the cool-down, and no second one', () => {
    const open: BreakerState = { kind: 'open', until: 2000 };
    expect(admit(open, 1999)).toEqual({ allowed: false, state: open });
    expect(breakerStatus(open, 1999)).toBe('open');
    expect(breakerStatus(open, 2000)).toBe('half-open');
    const trial = admit(open, 2000);
    expect(trial).toEqual({ allowed: true, state: { kind: 'half-open', trialInFlight: true } });
    expect(admit(trial.state, 2001).allowed).toBe(false);
    expect(admit(CLOSED, 0).allowed).toBe(true);
  });
});

const request: TokeniseRequest = {
  paymentId: 'PK1',
  idempotencyKey: 'PK1:tokenise',
  card: { number: '4242424242424242', expMonth: 12, expYear: 2030 },
  tokenType: 'one-time',
};

describe('GuardedConnector', () => {
  it('opens after K unreachable tokenisations, fails fast without sending, recovers after the cool-down', async () => {
    let now = 0;
    const inner = new ScriptedConnector();
    const down = async (): Promise<ProcessorResult> => {
      throw new GatewayError('GW_ERR_PROCESSOR_TIMEOUT', 'processor did not answer in time', {
        retryable: true,
      });
    };
    inner.answer = down;
    const observed: string[] = [];
    const logs = captureLogs();
    const guarded = new GuardedConnector({
      connector: inner,
      breaker: policy,
      clock: { now: () => now, monotonic: () => now },
      logger: logs.logger,
      observe: (outcome) => observed.push(outcome),
    });
    for (let i = 0; i < 3; i += 1)
      await expect(guarded.tokenise(request)).rejects.toMatchObject({ code: 'GW_ERR_PROCESSOR_TIMEOUT' });
    expect(guarded.breaker).toBe('open');
    expect(logs.text()).toContain('circuit breaker open');

    await expect(guarded.tokenise(request)).rejects.toMatchObject({
      code: 'GW_ERR_PROCESSOR_UNAVAILABLE',
      retryable: false,
    });
    expect(inner.requests).toHaveLength(3); // nothing sent while open: no charge possible

    now = 999;
    await expect(guarded.tokenise(request)).rejects.toMatchObject({ code: 'GW_ERR_PROCESSOR_UNAVAILABLE' });
    now = 1000 + 1; // the cool-down (1000 ms after the third failure at t=0) is over
    inner.answer = new ScriptedConnector().answer;
    await expect(guarded.tokenise(request)).resolves.toMatchObject({ outcome: 'success', last4: '4242' });
    expect(guarded.breaker).toBe('closed');
    expect(inner.requests).toHaveLength(4);
    expect(observed).toEqual([
      'GW_ERR_PROCESSOR_TIMEOUT',
      'GW_ERR_PROCESSOR_TIMEOUT',
      'GW_ERR_PROCESSOR_TIMEOUT',
      'GW_ERR_PROCESSOR_UNAVAILABLE',
      'GW_ERR_PROCESSOR_UNAVAILABLE',
      'success',
    ]);
    expect(logs.text()).not.toMatch(/\d{13,19}/);
  });

  it('does not count answers: declines and refusals keep it closed', async () => {
    const inner = new ScriptedConnector();
    inner.answer = async () => {
      throw new GatewayError('GW_ERR_PROCESSOR_REJECTED', 'processor refused the request');
    };
    const guarded = new GuardedConnector({
      connector: inner,
      breaker: policy,
      clock: { now: () => 0, monotonic: () => 0 },
      logger: captureLogs().logger,
    });
    for (let i = 0; i < 5; i += 1)
      await expect(guarded.tokenise(request)).rejects.toMatchObject({ code: 'GW_ERR_PROCESSOR_REJECTED' });
    expect(guarded.breaker).toBe('closed');
    expect(inner.requests).toHaveLength(5);
  });
});

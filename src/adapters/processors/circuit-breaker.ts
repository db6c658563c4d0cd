/**
 * A circuit breaker in front of the processor. Pure: `(policy, state, input) -> state`, time as an
 * argument (test/unit/processors/circuit-breaker.test.ts runs it on a fake clock).
 *
 * closed ── K consecutive "unreachable" failures ──► open ── coolDownMs ──► half-open (one trial)
 *   ▲                                                 ▲                          │
 *   └────────────── trial answered ───────────────────┼──── trial unreachable ───┘
 *
 * While open, a tokenisation fails at once (GW_ERR_PROCESSOR_UNAVAILABLE) without sending anything:
 * no request, so no charge. An answer of any kind (a token, a decline, a refusal) closes it.
 */
export interface BreakerPolicy {
  /** Consecutive unreachable failures that open the breaker (K). */
  readonly failureThreshold: number;
  /** How long it stays open before one trial request is let through. */
  readonly coolDownMs: number;
}

export type BreakerState =
  | { readonly kind: 'closed'; readonly failures: number }
  | { readonly kind: 'open'; readonly until: number }
  | { readonly kind: 'half-open'; readonly trialInFlight: boolean };

/** `answered`: the processor replied (success, decline, refusal); `unreachable`: it did not act. */
export type BreakerResult = 'answered' | 'unreachable';

export const CLOSED: BreakerState = Object.freeze({ kind: 'closed', failures: 0 });

/** Whether a request may go now, and the state after letting it (or not). */
export function admit(state: BreakerState, now: number): { allowed: boolean; state: BreakerState } {
  switch (state.kind) {
    case 'closed':
      return { allowed: true, state };
    case 'open':
      if (now < state.until) return { allowed: false, state };
      return { allowed: true, state: { kind: 'half-open', trialInFlight: true } };
    case 'half-open':
      if (state.trialInFlight) return { allowed: false, state };
      return { allowed: true, state: { kind: 'half-open', trialInFlight: true } };
  }
}

/** The state after a request that was let through ended with `result`. */
export function record(
  policy: BreakerPolicy,
  state: BreakerState,
  result: BreakerResult,
  now: number,
): BreakerState {
  if (result === 'answered') return CLOSED;
  switch (state.kind) {
    case 'closed': {
      const failures = state.failures + 1;
      return failures >= policy.failureThreshold
        ? { kind: 'open', until: now + policy.coolDownMs }
        : { kind: 'closed', failures };
    }
    case 'half-open':
      return { kind: 'open', until: now + policy.coolDownMs };
    case 'open':
      return state; // a late failure of a request sent before it opened
  }
}

/** What a reader of the state (health, metrics) calls it at `now`. */
export function breakerStatus(state: BreakerState, now: number): 'closed' | 'open' | 'half-open' {
  if (state.kind === 'open') return now < state.until ? 'open' : 'half-open';
  return state.kind;
}

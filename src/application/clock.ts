/**
 * The one source of time, injected wherever time is read (issue 15). The composition root passes
 * `systemClock` and `systemTimers`; tests pass fakes. Only this file reads the machine's clocks (a test
 * over src/ holds it to that), but for the DTMF receive thread, which stamps each datagram as it
 * arrives on a thread of its own and cannot be handed an object.
 */
export interface Clock {
  /** Wall-clock time, whole ms since the epoch: what records, replies and tokens carry. */
  now(): number;
  /** A monotonic ms count, for durations and deadlines: it never jumps when the wall clock is set. */
  monotonic(): number;
}

/** Timers on the same time: one callback later, or a promise that resolves later. */
export interface Timers {
  /** Calls `fire` once after `delayMs`; a timer never keeps the process alive by itself. */
  set(delayMs: number, fire: () => void): { cancel(): void };
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  monotonic: () => performance.now(),
});

export const systemTimers: Timers = Object.freeze({
  set(delayMs: number, fire: () => void) {
    const handle = setTimeout(fire, Math.max(0, delayMs));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
});

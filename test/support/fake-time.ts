import type { Clock, Timers } from '../../src/application/clock.js';

/** A clock and timers that move only when the test says so. */
export class FakeTime implements Clock, Timers {
  #now: number;
  #timers: Array<{ at: number; fire: () => void; cancelled: boolean }> = [];

  constructor(start = Date.UTC(2026, 10, 23, 9, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** The same count: a fake clock never steps back. */
  monotonic(): number {
    return this.#now;
  }

  /** Resolves when `advance` has moved time past `ms` from now. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.set(ms, resolve));
  }

  set(delayMs: number, fire: () => void): { cancel(): void } {
    const timer = { at: this.#now + Math.max(0, delayMs), fire, cancelled: false };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#timers
        .filter((timer) => !timer.cancelled && timer.at <= target)
        .sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.cancelled = true;
      this.#now = due.at;
      due.fire();
    }
    this.#now = target;
    this.#timers = this.#timers.filter((timer) => !timer.cancelled);
  }

  get pending(): number {
    return this.#timers.filter((timer) => !timer.cancelled).length;
  }
}

import type { Clock } from '../clock.js';

/**
 * Locks a local account after `failures` failed sign-ins (a wrong password or a wrong one-time
 * code), from any address, for `lockMs` (PCI DSS 8.3.4: at most 10 attempts, at least 30 minutes).
 * A successful sign-in clears the count. In memory: a gateway restart unlocks (only an operator can
 * restart it). The per-address throttle (delivery/http/sign-in-limiter.ts) works besides this.
 */
export class AccountLockout {
  readonly #failures: number;
  readonly #lockMs: number;
  readonly #clock: Clock;
  readonly #accounts = new Map<string, { failures: number; lockedUntil: number }>();

  constructor(options: { failures: number; lockMs: number; clock: Clock }) {
    this.#failures = options.failures;
    this.#lockMs = options.lockMs;
    this.#clock = options.clock;
  }

  /** When the account's lock ends (epoch ms), or undefined when it is not locked. */
  lockedUntil(username: string): number | undefined {
    const account = this.#accounts.get(username);
    if (!account || account.lockedUntil <= this.#clock.now()) return undefined;
    return account.lockedUntil;
  }

  /** Counts a failure of an existing account; true when this failure locked it. */
  failed(username: string): boolean {
    if (this.lockedUntil(username) !== undefined) return false;
    const account = this.#accounts.get(username);
    // a lock that has ended starts the count again
    const failures = account === undefined || account.lockedUntil > 0 ? 1 : account.failures + 1;
    const locked = failures >= this.#failures;
    this.#accounts.set(username, {
      failures: locked ? 0 : failures,
      lockedUntil: locked ? this.#clock.now() + this.#lockMs : 0,
    });
    return locked;
  }

  succeeded(username: string): void {
    this.#accounts.delete(username);
  }
}

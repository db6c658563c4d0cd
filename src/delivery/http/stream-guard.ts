import type { Request, Response } from 'express';
import type { Clock } from '../../application/clock.js';
import type { AuthEvents } from './auth-events.js';
import type { HttpAccess } from './http-access.js';

/**
 * Keeps an event stream open only while the credentials that opened it hold: a session cookie's
 * stream ends at sign-out (at once) and when the session expires; a local user's when the user is
 * disabled or removed; an IdP token's when the token expires; an integration key's when it expires. Checked every `checkMs`; each end is
 * an auth event (`stream`, denied) and a log line.
 */
export class StreamGuard {
  readonly #access: HttpAccess;
  readonly #authEvents: AuthEvents;
  readonly #checkMs: number;
  readonly #clock: Clock;

  constructor(options: { access: HttpAccess; authEvents: AuthEvents; clock: Clock; checkMs?: number }) {
    this.#clock = options.clock;
    this.#access = options.access;
    this.#authEvents = options.authEvents;
    this.#checkMs = options.checkMs ?? 5000;
  }

  /** Watches the stream's credentials, calls `close` once they end; returns the way to stop watching. */
  watch(request: Request, response: Response, close: () => void): () => void {
    let done = false;
    const end = (why: string) => {
      if (done) return;
      stop();
      this.#authEvents.streamClosed(request, response, why);
      close();
    };
    const held = response.locals.session;
    const unwatch = held ? this.#access.sessions.watch(held.id, () => end('signed-out')) : () => undefined;
    const timer = setInterval(() => {
      this.#stillValid(response).then(
        (why) => {
          if (why !== undefined) end(why);
        },
        () => end('check-failed'),
      );
    }, this.#checkMs);
    timer.unref();
    const stop = () => {
      done = true;
      clearInterval(timer);
      unwatch();
    };
    return stop;
  }

  /** Why the stream must end now, or undefined. */
  async #stillValid(response: Response): Promise<string | undefined> {
    const held = response.locals.session;
    if (held && this.#access.sessions.get(held.id, { touch: false }) === undefined) return 'session-ended';
    const principal = response.locals.principal;
    if (principal?.kind === 'integration')
      return principal.expiresAt !== undefined && principal.expiresAt <= this.#clock.now()
        ? 'key-expired'
        : undefined;
    if (principal?.kind !== 'user') return undefined;
    if (principal.expiresAt !== undefined && principal.expiresAt <= this.#clock.now()) return 'token-expired';
    if (
      principal.source === 'local' &&
      this.#access.users &&
      !(await this.#access.users.isActive(principal.subject))
    )
      return 'user-disabled';
    return undefined;
  }
}

import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../../application/access/principal.js';
import type { Clock } from '../../application/clock.js';

export interface Session {
  readonly principal: Principal;
  /** Sent back in `X-CSRF-Token` on every state-changing request made with the cookie. */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
}

export interface SessionStoreOptions {
  /** Signed out after this long without a request the user made (PCI DSS 8.2.8: 15 minutes). */
  readonly idleMs: number;
  /** Signed out this long after sign-in, however active. */
  readonly absoluteMs: number;
  readonly clock: Clock;
  /** The oldest sessions go when there are more (bounds memory). */
  readonly maxSessions?: number;
}

const hashId = (id: string) => createHash('sha256').update(id).digest('base64url');

/**
 * Server-side sessions in memory, keyed by the SHA-256 of the opaque cookie value (32 random bytes),
 * so the map never holds a usable cookie. Expired sessions are dropped when met and swept on create.
 */
export class SessionStore {
  readonly #options: SessionStoreOptions;
  readonly #sessions = new Map<string, Session>();
  readonly #watchers = new Map<string, Set<() => void>>();

  constructor(options: SessionStoreOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#sessions.size;
  }

  create(principal: Principal): { id: string; session: Session } {
    this.#sweep();
    const now = this.#now();
    const id = randomBytes(32).toString('base64url');
    const session: Session = {
      principal,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    this.#sessions.set(hashId(id), session);
    const max = this.#options.maxSessions ?? 10_000;
    for (const key of this.#sessions.keys()) {
      if (this.#sessions.size <= max) break;
      this.#sessions.delete(key);
    }
    return { id, session };
  }

  /** The live session for a cookie value; `touch` (a request the user made) restarts the idle clock. */
  get(id: string, options: { touch: boolean }): Session | undefined {
    const key = hashId(id);
    const session = this.#sessions.get(key);
    if (!session) return undefined;
    const now = this.#now();
    if (this.#expired(session, now)) {
      this.#sessions.delete(key);
      return undefined;
    }
    if (options.touch) session.lastSeenAt = now;
    return session;
  }

  destroy(id: string): void {
    const key = hashId(id);
    this.#sessions.delete(key);
    const watchers = this.#watchers.get(key);
    this.#watchers.delete(key);
    for (const ended of watchers ?? []) ended();
  }

  /** Calls `ended` when the session is destroyed (sign-out); returns the way to stop watching. */
  watch(id: string, ended: () => void): () => void {
    const key = hashId(id);
    const watchers = this.#watchers.get(key) ?? new Set();
    watchers.add(ended);
    this.#watchers.set(key, watchers);
    return () => {
      watchers.delete(ended);
      if (watchers.size === 0 && this.#watchers.get(key) === watchers) this.#watchers.delete(key);
    };
  }

  /** When the session ends unless used again (epoch ms). */
  expiresAt(session: Session): number {
    return Math.min(session.lastSeenAt + this.#options.idleMs, session.createdAt + this.#options.absoluteMs);
  }

  #expired(session: Session, now: number): boolean {
    return now >= this.expiresAt(session);
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, session] of this.#sessions) if (this.#expired(session, now)) this.#sessions.delete(key);
  }

  #now(): number {
    return this.#options.clock.now();
  }
}

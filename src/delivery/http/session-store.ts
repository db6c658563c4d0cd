import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../../application/access/principal.js';
import type { SessionRecords } from '../../application/access/session-records.js';
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
  /** Where sessions are kept: this process's memory, or a store the gateways share (session-records.ts). */
  readonly records: SessionRecords;
}

const hashId = (id: string) => createHash('sha256').update(id).digest('base64url');

/**
 * Server-side sessions, keyed by the SHA-256 of the opaque cookie value (32 random bytes), so the
 * records never hold a usable cookie. A session ends after `idleMs` without a request the user made or
 * `absoluteMs` after sign-in; an expired one is dropped when met. Sign-out ends this process's event
 * streams of the session at once (watch); another gateway's end at their next check (stream-guard.ts).
 */
export class SessionStore {
  readonly #options: SessionStoreOptions;
  readonly #records: SessionRecords;
  readonly #watchers = new Map<string, Set<() => void>>();

  constructor(options: SessionStoreOptions) {
    this.#options = options;
    this.#records = options.records;
  }

  create(principal: Principal): { id: string; session: Session } {
    const now = this.#now();
    const id = randomBytes(32).toString('base64url');
    const session: Session = {
      principal,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    this.#records.put(hashId(id), session, this.expiresAt(session));
    return { id, session };
  }

  /** The live session for a cookie value; `touch` (a request the user made) restarts the idle clock. */
  get(id: string, options: { touch: boolean }): Session | undefined {
    const key = hashId(id);
    const stored = this.#records.get(key);
    if (!stored) return undefined;
    const session: Session = { ...stored };
    const now = this.#now();
    if (this.#expired(session, now)) {
      this.#records.delete(key);
      return undefined;
    }
    if (options.touch) {
      session.lastSeenAt = now;
      this.#records.put(key, session, this.expiresAt(session));
    }
    return session;
  }

  destroy(id: string): void {
    const key = hashId(id);
    this.#records.delete(key);
    const watchers = this.#watchers.get(key);
    this.#watchers.delete(key);
    for (const ended of watchers ?? []) ended();
  }

  /** Calls `ended` when the session is destroyed (sign-out) through this process; returns the way to stop watching. */
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
  expiresAt(session: Pick<Session, 'createdAt' | 'lastSeenAt'>): number {
    return Math.min(session.lastSeenAt + this.#options.idleMs, session.createdAt + this.#options.absoluteMs);
  }

  #expired(session: Session, now: number): boolean {
    return now >= this.expiresAt(session);
  }

  #now(): number {
    return this.#options.clock.now();
  }
}

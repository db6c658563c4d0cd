import type { SessionRecords, StoredSession } from '../../application/access/session-records.js';

/**
 * Sessions in this process's memory (one gateway; a restart signs everyone out). Expired sessions are
 * swept whenever one is added, and the oldest go when there are more than `maxSessions` (bounds memory).
 */
export class MemorySessionRecords implements SessionRecords {
  readonly #sessions = new Map<string, { session: StoredSession; expiresAt: number }>();
  readonly #maxSessions: number;
  readonly #now: () => number;

  constructor(options: { now: () => number; maxSessions?: number }) {
    this.#now = options.now;
    this.#maxSessions = options.maxSessions ?? 10_000;
  }

  get size(): number {
    return this.#sessions.size;
  }

  get(key: string): StoredSession | undefined {
    return this.#sessions.get(key)?.session;
  }

  put(key: string, session: StoredSession, expiresAt: number): void {
    const isNew = !this.#sessions.has(key);
    this.#sessions.set(key, { session, expiresAt });
    if (!isNew) return;
    const now = this.#now();
    for (const [held, entry] of this.#sessions) if (entry.expiresAt <= now) this.#sessions.delete(held);
    for (const held of this.#sessions.keys()) {
      if (this.#sessions.size <= this.#maxSessions) break;
      this.#sessions.delete(held);
    }
  }

  delete(key: string): void {
    this.#sessions.delete(key);
  }
}

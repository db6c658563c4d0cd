import type { Principal } from './principal.js';

/** A signed-in session as kept: no cookie value (it is keyed by the cookie's hash), no card data. */
export interface StoredSession {
  readonly principal: Principal;
  /** Sent back in `X-CSRF-Token` on every state-changing request made with the cookie. */
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
}

/**
 * Where sessions are kept, by the SHA-256 of their cookie value (delivery/http/session-store.ts holds
 * the rules: idle and absolute limits, sign-out). One gateway: memory
 * (adapters/store/memory-session-records.ts, a restart signs everyone out); several: Redis
 * (adapters/store/redis-session-records.ts), so an agent stays signed in when one gateway goes.
 */
export interface SessionRecords {
  get(key: string): StoredSession | undefined;
  /** Keeps (or replaces) a session until `expiresAt` (epoch ms), when the store may drop it. */
  put(key: string, session: StoredSession, expiresAt: number): void;
  delete(key: string): void;
}

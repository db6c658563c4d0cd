import type { HeldIdempotencyKey, IdempotencyLedger } from '../../application/payments/idempotency-ledger.js';
import { keyAlreadyHeld } from './idempotency-race.js';
import type { StateDatabase } from './state-database.js';

/**
 * Idempotency keys in the state database: one row per (hashed, call-scoped) key, never updated. The
 * key is the primary key: of two connections inserting one key, the second inserts nothing.
 */
export class SqliteIdempotencyLedger implements IdempotencyLedger {
  readonly #find;
  readonly #hold;

  constructor(db: StateDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      key_hash TEXT PRIMARY KEY,
      payment_id TEXT NOT NULL,
      call_id TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT`);
    this.#find = db.prepare<[string], { payment_id: string; fingerprint: string }>(
      'SELECT payment_id, fingerprint FROM idempotency_keys WHERE key_hash = ?',
    );
    this.#hold = db.prepare(
      'INSERT OR IGNORE INTO idempotency_keys (key_hash, payment_id, call_id, fingerprint, created_at) VALUES (?, ?, ?, ?, ?)',
    );
  }

  find(scopedKeyHash: string): HeldIdempotencyKey | undefined {
    const row = this.#find.get(scopedKeyHash);
    return row ? { paymentId: row.payment_id, fingerprint: row.fingerprint } : undefined;
  }

  hold(
    scopedKeyHash: string,
    held: HeldIdempotencyKey & { readonly callId: string; readonly at: number },
  ): void {
    const { changes } = this.#hold.run(scopedKeyHash, held.paymentId, held.callId, held.fingerprint, held.at);
    if (changes === 0) throw keyAlreadyHeld();
  }
}

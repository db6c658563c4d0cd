import type { StateDatabase } from '../store/state-database.js';
import type { CallbackQueue, Delivery } from './callback-queue.js';

export type { Delivery } from './callback-queue.js';

interface Row {
  id: string;
  payment_id: string;
  url: string;
  body: string;
  attempts: number;
  due_at: number;
}

/** Given-up deliveries are kept this long for operators to look at, then dropped. */
const KEEP_GIVEN_UP_MS = 7 * 24 * 3_600_000;

/**
 * The status callbacks not yet delivered, in the state database (table `webhook_deliveries`; no
 * card data: a body is the people view of a payment). A delivery leaves the table when delivered;
 * one given up stays, `state = 'given-up'`, for a week. Per payment the deliveries go in the order
 * they were queued (`seq`): `due` offers only each payment's oldest pending one.
 */
export class DeliveryQueue implements CallbackQueue {
  readonly #db: StateDatabase;

  constructor(db: StateDatabase, now: number) {
    this.#db = db;
    db.exec(`CREATE TABLE IF NOT EXISTS webhook_deliveries (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      payment_id TEXT NOT NULL,
      url TEXT NOT NULL,
      body TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'given-up')),
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      due_at INTEGER NOT NULL,
      last_error TEXT
    );
    CREATE INDEX IF NOT EXISTS webhook_deliveries_pending ON webhook_deliveries (state, payment_id, seq);`);
    db.prepare(`DELETE FROM webhook_deliveries WHERE state = 'given-up' AND created_at < ?`).run(
      now - KEEP_GIVEN_UP_MS,
    );
  }

  add(delivery: { id: string; paymentId: string; url: string; body: string; now: number }): void {
    this.#db
      .prepare(
        `INSERT INTO webhook_deliveries (id, payment_id, url, body, created_at, due_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(delivery.id, delivery.paymentId, delivery.url, delivery.body, delivery.now, delivery.now);
  }

  /** Each payment's oldest pending delivery (the only one that may go), earliest due first. */
  heads(limit: number): Delivery[] {
    const rows = this.#db
      .prepare(
        `SELECT id, payment_id, url, body, attempts, due_at FROM webhook_deliveries d
         WHERE state = 'pending' AND seq = (
           SELECT MIN(seq) FROM webhook_deliveries e WHERE e.payment_id = d.payment_id AND e.state = 'pending')
         ORDER BY due_at, seq LIMIT ?`,
      )
      .all(limit) as Row[];
    return rows.map((row) => ({
      id: row.id,
      paymentId: row.payment_id,
      url: row.url,
      body: row.body,
      attempts: row.attempts,
      dueAt: row.due_at,
    }));
  }

  delivered(id: string): void {
    this.#db.prepare('DELETE FROM webhook_deliveries WHERE id = ?').run(id);
  }

  /** An attempt failed: the next is due at `dueAt`, or, undefined, the delivery is given up. */
  failed(id: string, attempts: number, error: string, dueAt: number | undefined): void {
    this.#db
      .prepare(
        `UPDATE webhook_deliveries SET attempts = ?, last_error = ?, state = ?, due_at = ? WHERE id = ?`,
      )
      .run(attempts, error, dueAt === undefined ? 'given-up' : 'pending', dueAt ?? 0, id);
  }

  get pendingCount(): number {
    const row = this.#db
      .prepare(`SELECT COUNT(*) AS n FROM webhook_deliveries WHERE state = 'pending'`)
      .get() as { n: number };
    return row.n;
  }
}

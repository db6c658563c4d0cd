import type { ChargeInDoubt, ChargeLedger } from '../../application/payments/charge-ledger.js';
import type { StateDatabase } from './state-database.js';

interface Row {
  payment_id: string;
  call_id: string;
  agent: string;
  processor_key: string;
  sent_at: number;
  state: 'sending' | 'unknown';
}

/**
 * Charges in doubt in the state database. Opening it turns every `sending` row into `unknown`: one
 * gateway owns the file, so a row still `sending` belongs to a run that stopped or crashed while it
 * waited for the processor.
 */
export class SqliteChargeLedger implements ChargeLedger {
  readonly #insert;
  readonly #delete;
  readonly #markUnknown;
  readonly #all;
  readonly #onCall;

  constructor(db: StateDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS charges_in_doubt (
      payment_id TEXT PRIMARY KEY,
      call_id TEXT NOT NULL,
      agent TEXT NOT NULL,
      processor_key TEXT NOT NULL,
      sent_at INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('sending', 'unknown'))
    ) STRICT`);
    db.exec('CREATE INDEX IF NOT EXISTS charges_in_doubt_call ON charges_in_doubt (call_id)');
    db.exec("UPDATE charges_in_doubt SET state = 'unknown' WHERE state = 'sending'");
    this.#insert = db.prepare(
      "INSERT OR REPLACE INTO charges_in_doubt (payment_id, call_id, agent, processor_key, sent_at, state) VALUES (?, ?, ?, ?, ?, 'sending')",
    );
    this.#delete = db.prepare('DELETE FROM charges_in_doubt WHERE payment_id = ?');
    this.#markUnknown = db.prepare("UPDATE charges_in_doubt SET state = 'unknown' WHERE payment_id = ?");
    this.#all = db.prepare<[], Row>('SELECT * FROM charges_in_doubt ORDER BY sent_at');
    this.#onCall = db.prepare<[string], { n: number }>(
      'SELECT count(*) AS n FROM charges_in_doubt WHERE call_id = ?',
    );
  }

  sending(charge: Omit<ChargeInDoubt, 'state'>): void {
    this.#insert.run(charge.paymentId, charge.callId, charge.agent, charge.processorKey, charge.sentAt);
  }

  settled(paymentId: string): void {
    this.#delete.run(paymentId);
  }

  unknown(paymentId: string): void {
    this.#markUnknown.run(paymentId);
  }

  inDoubt(): ChargeInDoubt[] {
    return this.#all.all().map((row) => ({
      paymentId: row.payment_id,
      callId: row.call_id,
      agent: row.agent,
      processorKey: row.processor_key,
      sentAt: row.sent_at,
      state: row.state,
    }));
  }

  inDoubtOnCall(callId: string): boolean {
    return (this.#onCall.get(callId)?.n ?? 0) > 0;
  }
}

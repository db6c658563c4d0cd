import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { endInterrupted } from '../../application/payments/interrupted-payment.js';
import type {
  PaymentStatusRecord,
  PaymentStatusStore,
} from '../../application/payments/payment-status-store.js';
import type { Logger } from '../../logger.js';
import { statusRecordSchema } from './status-record-schema.js';

export interface JsonlPaymentStatusStoreOptions {
  /** The JSON-lines file, e.g. .run/<name>/payments.jsonl. */
  readonly file: string;
  /** Payments kept (the newest); older ones are dropped when the file is compacted. */
  readonly retain: number;
  readonly now: () => Date;
  readonly logger: Logger;
  /**
   * Whether a payment's charge is recorded as sent without an answer (charge-ledger.ts): an
   * interrupted payment that was processing such a charge becomes `unknown`, not failed.
   */
  readonly inDoubt?: (paymentId: string) => boolean;
}

/**
 * Payment statuses in an append-only JSON-lines file, fsynced after each batch of appends. On open
 * the file is read (the last line of a payment wins, a torn last line is skipped), every payment that
 * was still capturing or processing is ended as failed / internal-error (the process that ran it is
 * gone, and with it the digits) — or, when its charge was sent without an answer, set `unknown` for
 * reconciliation — and the file is rewritten compacted (temp file, fsync, rename). It is
 * compacted again whenever it holds four times more lines than payments kept.
 */
export class JsonlPaymentStatusStore implements PaymentStatusStore {
  readonly #options: JsonlPaymentStatusStoreOptions;
  readonly #records = new Map<string, PaymentStatusRecord>();
  #handle: FileHandle;
  #lines = 0;
  #queue: string[] = [];
  #writing: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(options: JsonlPaymentStatusStoreOptions, handle: FileHandle) {
    this.#options = options;
    this.#handle = handle;
  }

  /** Opens the file, ends interrupted payments, compacts; `interrupted` lists what it ended. */
  static async open(
    options: JsonlPaymentStatusStoreOptions,
  ): Promise<{ store: JsonlPaymentStatusStore; interrupted: PaymentStatusRecord[] }> {
    await mkdir(dirname(options.file), { recursive: true, mode: 0o700 });
    const records = new Map<string, PaymentStatusRecord>();
    let skipped = 0;
    // line by line: the file may hold 4 × retain lines (~19 MB at the default); read whole and split,
    // it raised the gateway's start-up peak by ~90 MiB
    for await (const line of readLines(options.file)) {
      if (line.trim() === '') continue;
      let parsed: ReturnType<typeof statusRecordSchema.safeParse>;
      try {
        parsed = statusRecordSchema.safeParse(JSON.parse(line));
      } catch {
        skipped += 1;
        continue;
      }
      if (!parsed.success) {
        skipped += 1;
        continue;
      }
      records.delete(parsed.data.id); // re-inserted: the map's order is the order of last change
      records.set(parsed.data.id, parsed.data as PaymentStatusRecord);
    }
    const interrupted: PaymentStatusRecord[] = [];
    const at = options.now().toISOString();
    for (const [id, record] of records) {
      const ended = endInterrupted(record, { at, inDoubt: options.inDoubt?.(id) === true });
      if (!ended) continue;
      records.set(id, ended);
      interrupted.push(ended);
    }
    if (skipped > 0) options.logger.warn({ skipped }, 'unreadable payment status lines skipped');
    const handle = await JsonlPaymentStatusStore.#rewrite(
      options.file,
      [...records.values()].slice(-options.retain),
    );
    const store = new JsonlPaymentStatusStore(options, handle);
    for (const record of [...records.values()].slice(-options.retain)) store.#records.set(record.id, record);
    store.#lines = store.#records.size;
    return { store, interrupted };
  }

  save(record: PaymentStatusRecord): void {
    if (this.#closed) return;
    this.#records.delete(record.id);
    this.#records.set(record.id, record);
    while (this.#records.size > this.#options.retain) {
      const oldest = this.#records.keys().next().value;
      if (oldest === undefined) break;
      this.#records.delete(oldest);
    }
    this.#queue.push(`${JSON.stringify(record)}\n`);
    if (this.#queue.length === 1) this.#writing = this.#writing.then(() => this.#drain());
  }

  get(paymentId: string): PaymentStatusRecord | undefined {
    return this.#records.get(paymentId);
  }

  async flush(): Promise<void> {
    while (this.#queue.length > 0) await this.#writing;
    await this.#writing;
  }

  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    await this.#handle.close();
  }

  /** Writes what is queued in one append and one fsync; compacts when the file has grown. */
  async #drain(): Promise<void> {
    const lines = this.#queue;
    this.#queue = [];
    if (lines.length === 0) return;
    try {
      await this.#handle.appendFile(lines.join(''));
      await this.#handle.sync();
      this.#lines += lines.length;
      if (this.#lines > this.#options.retain * 4) {
        const old = this.#handle;
        this.#handle = await JsonlPaymentStatusStore.#rewrite(this.#options.file, [
          ...this.#records.values(),
        ]);
        this.#lines = this.#records.size;
        await old.close();
      }
    } catch (error) {
      this.#options.logger.error({ err: error }, 'payment status could not be written');
    }
  }

  /** Writes `records` to a temp file, fsyncs, renames it over `file`; returns it open for appends. */
  static async #rewrite(file: string, records: readonly PaymentStatusRecord[]): Promise<FileHandle> {
    const temp = `${file}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    const directory = await open(dirname(file), 'r');
    await directory.sync().finally(() => directory.close());
    return open(file, 'a', 0o600);
  }
}

/** The file's lines, read as a stream; none when the file does not exist yet. */
async function* readLines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file, { encoding: 'utf8' });
  const opened = await new Promise<boolean>((resolve, reject) => {
    input.once('open', () => resolve(true));
    input.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? resolve(false) : reject(error),
    );
  });
  if (!opened) return;
  yield* createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
}

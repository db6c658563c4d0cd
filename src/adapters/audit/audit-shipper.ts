import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { MAX_RECORD_BYTES } from './audit-codec.js';
import { listSegments } from './audit-segments.js';

/** Where shipped lines go (SyslogTlsSender). */
export interface LineSender {
  send(messages: readonly string[]): Promise<void>;
  close(): void;
}

export interface AuditShipperOptions {
  /** The audit log's folder: its segment files are read as they grow. */
  readonly directory: string;
  readonly sender: LineSender;
  readonly logger: Logger;
  /** How often the files are looked at for new lines, ms (`poke` looks at once). */
  readonly pollMs: number;
  /** First wait after a failed send, ms; it doubles up to `maxRetryMs`. */
  readonly retryMs: number;
  readonly maxRetryMs: number;
}

export type ShippingState = 'shipping' | 'retrying' | 'stopped';

export interface ShippingStatus {
  readonly state: ShippingState;
  /** The last record's sequence number handed to the receiver. */
  readonly shippedSeq: number | undefined;
}

/** Lines per syslog write, and bytes read from a segment at a time. */
const BATCH_LINES = 200;
const READ_BYTES = 1024 * 1024;
/**
 * After a failed send, lines are sent again from up to this many bytes back: syslog has no
 * acknowledgement, and what the socket took just before the receiver went away may never have
 * reached it. (The receiver's copy then holds them twice, which the comparison allows.)
 */
const RESEND_BYTES = 256 * 1024;
const SEQ = /^\{[^\n]*?"seq":(\d+)[,}]/;

/**
 * Ships the audit log off the host as it is written: follows the segment files (what is on disk is
 * what was acknowledged: the store syncs before an append resolves) and sends each complete line,
 * byte for byte, as one syslog message. At start it sends the newest segment from its beginning, so
 * what the last run wrote after its last send (its `log.closed`, a crash's last records) is shipped
 * too; the receiver's copy then holds those lines twice, which `compareShippedCopy` allows. A failed
 * send is retried, from up to RESEND_BYTES before it, with a growing wait; the outage is logged once
 * (GW_ERR_AUDIT_SHIP) and its end once. Records are never lost here: the local log keeps them; what
 * the receiver lacks, `compareShippedCopy` names.
 */
export class AuditShipper {
  readonly #options: AuditShipperOptions;
  #cursor: { file: string; offset: number } | undefined;
  #state: ShippingState = 'shipping';
  #shippedSeq: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #failures = 0;

  constructor(options: AuditShipperOptions) {
    this.#options = options;
  }

  /** Starts following the log: from the start of its newest segment. */
  start(): void {
    this.poke();
  }

  get status(): ShippingStatus {
    return { state: this.#stopped ? 'stopped' : this.#state, shippedSeq: this.#shippedSeq };
  }

  /** Looks for new lines now (after an append, say) rather than at the next poll. */
  poke(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#ship()
      .catch((error: unknown) => this.#failed(error))
      .finally(() => {
        this.#running = undefined;
        this.#schedule();
      });
  }

  /** Ships what is on disk now (one last pass), then stops and closes the connection. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#running;
    if (!this.#stopped && this.#state === 'shipping') await this.#ship().catch(() => undefined);
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#options.sender.close();
  }

  #schedule(): void {
    if (this.#stopped) return;
    if (this.#again && this.#state === 'shipping') {
      this.#again = false;
      this.poke();
      return;
    }
    const wait =
      this.#state === 'retrying'
        ? Math.min(this.#options.retryMs * 2 ** (this.#failures - 1), this.#options.maxRetryMs)
        : this.#options.pollMs;
    this.#timer = setTimeout(() => this.poke(), wait);
    this.#timer.unref();
  }

  async #ship(): Promise<void> {
    const segments = await listSegments(this.#options.directory);
    if (segments.length === 0) return;
    let cursor = this.#cursor;
    if (cursor !== undefined && this.#state === 'retrying' && segments.includes(cursor.file)) {
      cursor = {
        file: cursor.file,
        offset: await lineStartBefore(cursor.file, cursor.offset - RESEND_BYTES),
      };
    }
    if (cursor === undefined || !segments.includes(cursor.file)) {
      // first pass, or the file was removed (retention): the newest segment from its start
      cursor = { file: segments.at(-1) as string, offset: 0 };
    }
    for (;;) {
      const lines = await readCompleteLines(cursor.file, cursor.offset);
      if (lines.texts.length > 0) {
        for (let i = 0; i < lines.texts.length; i += BATCH_LINES) {
          const batch = lines.texts.slice(i, i + BATCH_LINES);
          await this.#options.sender.send(batch);
          cursor = { file: cursor.file, offset: cursor.offset + byteLength(batch) };
          this.#cursor = cursor;
          this.#recovered();
          const seq = SEQ.exec(batch.at(-1) as string)?.[1];
          if (seq !== undefined) this.#shippedSeq = Number(seq);
        }
        continue;
      }
      this.#cursor = cursor;
      this.#recovered();
      const next: string | undefined = segments[segments.indexOf(cursor.file) + 1];
      if (next === undefined) return;
      cursor = { file: next, offset: 0 };
    }
  }

  #recovered(): void {
    if (this.#state !== 'retrying') return;
    this.#options.logger.info(
      { failures: this.#failures, shippedSeq: this.#shippedSeq },
      'audit shipping resumed',
    );
    this.#state = 'shipping';
    this.#failures = 0;
  }

  #failed(cause: unknown): void {
    this.#failures += 1;
    if (this.#state !== 'retrying') {
      const error = new GatewayError(
        'GW_ERR_AUDIT_SHIP',
        'audit records could not be shipped to the receiver',
        {
          cause,
          retryable: true,
        },
      );
      this.#options.logger.error(
        {
          code: error.code,
          reason: cause instanceof Error ? cause.message : 'unknown',
          file: this.#fileName(),
        },
        'audit shipping failed; retrying (the local log keeps every record)',
      );
    }
    this.#state = 'retrying';
  }

  #fileName(): string | undefined {
    return this.#cursor === undefined ? undefined : basename(this.#cursor.file);
  }
}

function byteLength(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, 0);
}

/** The complete lines (without their `\n`) of `file` from byte `offset`, up to READ_BYTES of them. */
async function readCompleteLines(file: string, offset: number): Promise<{ texts: string[] }> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(READ_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, offset);
    const end = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (end < 0) return { texts: [] };
    return { texts: buffer.subarray(0, end).toString('utf8').split('\n') };
  } finally {
    await handle.close();
  }
}

/** The start of the first whole line at or after byte `at` of `file` (0 when `at` ≤ 0). */
async function lineStartBefore(file: string, at: number): Promise<number> {
  if (at <= 0) return 0;
  const handle = await open(file, 'r');
  try {
    // a record's line is at most MAX_RECORD_BYTES: the next line starts within that
    const buffer = Buffer.alloc(MAX_RECORD_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, at - 1);
    const end = buffer.subarray(0, bytesRead).indexOf(0x0a);
    return end < 0 ? at : at + end;
  } finally {
    await handle.close();
  }
}

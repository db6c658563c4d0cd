import type { Clock } from '../../application/clock.js';
import {
  type AuditChainHead,
  type AuditEntry,
  type AuditRecord,
  nextRecord,
  signingInput,
} from '../../domain/audit/audit-record.js';
import { rotationStatement } from '../../domain/audit/key-rotation.js';
import { GatewayError } from '../../errors.js';
import { encodeRecordLine, hashRecord, MAX_RECORD_BYTES } from './audit-codec.js';
import { type HeadedRecord, writeSignedHead } from './audit-head-file.js';
import type { RecordSigner } from './audit-record-signer.js';
import type { AuditResumption } from './audit-resumption.js';
import { AuditSegmentWriter } from './audit-segment-writer.js';

export interface AuditFileStoreOptions {
  /** The log directory (made, mode 0700, when missing). */
  readonly directory: string;
  readonly signer: RecordSigner;
  /**
   * The key the log was last signed with, when `signer` is a new one: it cross-signs the rotation.
   * Without it, opening a log last signed by another key fails (GW_ERR_AUDIT_KEY).
   */
  readonly previousSigner?: RecordSigner;
  /** A segment file is closed and a new one begun before it would grow past this; also at each UTC day. */
  readonly maxFileBytes: number;
  /** `now` stamps records and heads; `monotonic` times the head interval. */
  readonly clock: Clock;
}

interface Pending {
  readonly record: AuditRecord;
  readonly hash: string;
  readonly line: Buffer;
  readonly resolve: (record: AuditRecord) => void;
  readonly reject: (error: unknown) => void;
}

/** The failure shows through `durable()`, which the caller awaits. */
function ignore(): void {}

/** Under a steady stream of records the signed head is rewritten at most this often (ms). */
const HEAD_INTERVAL_MS = 200;

/**
 * The audit log on local disk: one record a line, appended to segment files that rotate by size and
 * by UTC day, with the chain running on across files and across restarts. `append` resolves only once
 * the record's bytes are on disk (fsync); records appended while a sync runs are written together by
 * the next one (group commit). When the writes have caught up with the appends, and at least every
 * 200 ms while they have not, the signed head (`audit-head.json`) is replaced atomically, naming the
 * last record synced, so records cut from the end of the log can be told.
 *
 * A failed write or sync fails every pending record and every later one (fail-closed): the chain's
 * state on disk is then unknown, and a restart resumes from what the disk holds.
 */
export class AuditFileStore {
  readonly #options: AuditFileStoreOptions;
  #signer: RecordSigner;
  #chain: AuditChainHead | undefined;
  /** Records are signed and chained one after another, in the order `append` was called. */
  #sealing: Promise<void> = Promise.resolve();
  #pending: Pending[] = [];
  #flushing: Promise<void> | undefined;
  readonly #segments: AuditSegmentWriter;
  #failure: GatewayError | undefined;
  #closed = false;
  /** The last record synced but not yet named by the signed head, and its segment. */
  #unheaded: HeadedRecord | undefined;
  /** When the head was last written (monotonic ms: a wall-clock step must not stop it). */
  #headAt = Number.NEGATIVE_INFINITY;

  private constructor(options: AuditFileStoreOptions, last: AuditRecord | undefined) {
    this.#options = options;
    this.#segments = new AuditSegmentWriter(options.directory, options.maxFileBytes);
    this.#signer = options.signer;
    this.#chain = last === undefined ? undefined : { seq: last.seq, hash: hashRecord(last) };
  }

  /**
   * Opens the log in `directory`, continuing the chain of what is there. A torn last line (a write
   * that never completed, so was never acknowledged) is cut off; a signed head that reaches further
   * than the log is recorded as evidence of truncation. Writes `key.rotated` when the signing key is
   * not the one the log last used, then `log.opened`.
   */
  static async open(options: AuditFileStoreOptions): Promise<AuditFileStore> {
    // Reading the old log parses with zod: imported here, not at the top, so that the store's thread
    // (handed what the main thread read, through `start`) never loads it.
    const { resumeAuditLog } = await import('./audit-resume.js');
    return AuditFileStore.start(options, await resumeAuditLog(options.directory));
  }

  /** Continues the log after what `resumeAuditLog` found: `key.rotated` when the key changed, then `log.opened`. */
  static async start(options: AuditFileStoreOptions, resumption: AuditResumption): Promise<AuditFileStore> {
    const { last } = resumption;
    if (last !== undefined && last.kid !== options.signer.kid && options.previousSigner?.kid !== last.kid) {
      // the rotation must be cross-signed by the key it retires (domain/audit/key-rotation.ts)
      throw new GatewayError(
        'GW_ERR_AUDIT_KEY',
        'the audit signing key is not the one the log last used: give the previous key (TONEWALL_AUDIT_PREVIOUS_KEY) so that it signs the rotation',
      );
    }
    const store = new AuditFileStore(options, last);
    if (last !== undefined && last.kid !== options.signer.kid && options.previousSigner) {
      const endorsement = await options.previousSigner.sign(rotationStatement(last.kid, options.signer.kid));
      store
        .append({
          type: 'key.rotated',
          actor: 'system:gateway',
          data: { previousKid: last.kid, endorsement },
        })
        .catch(ignore);
    }
    store.append({ type: 'log.opened', actor: 'system:gateway', data: resumption.data }).catch(ignore);
    await store.durable();
    return store;
  }

  /** The last record's sequence number and hash. */
  get head(): AuditChainHead | undefined {
    return this.#chain;
  }

  get kid(): string {
    return this.#signer.kid;
  }

  /** Set once a write failed; the store takes no more records. */
  get failure(): GatewayError | undefined {
    return this.#failure;
  }

  /**
   * Stamps `entry` with the clock's time now, then signs and chains it after every record appended
   * before it (so records keep call order, whatever the signer's latency), and resolves once it is
   * on disk. A signer that fails or refuses (GW_ERR_AUDIT_SIGNER: the record does not extend its
   * chain) fails the log: fail-closed, like a failed write.
   */
  append(entry: AuditEntry): Promise<AuditRecord> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new GatewayError('GW_ERR_AUDIT_WRITE', 'audit log is closed'));
    const now = this.#options.clock.now();
    return new Promise<AuditRecord>((resolve, reject) => {
      this.#sealing = this.#sealing.then(() => this.#seal(entry, now, resolve, reject));
    });
  }

  async #seal(
    entry: AuditEntry,
    now: number,
    resolve: (record: AuditRecord) => void,
    reject: (error: unknown) => void,
  ): Promise<void> {
    if (this.#failure) return reject(this.#failure);
    const unsigned = nextRecord(this.#chain, entry, { now, kid: this.#signer.kid });
    let sig: string;
    try {
      sig = await this.#signer.sign(signingInput(unsigned));
    } catch (error) {
      // the signer's reason (a refusal names record numbers, never contents) goes into the message
      const reason = error instanceof GatewayError ? `: ${error.message}` : '';
      this.#fail(
        new GatewayError('GW_ERR_AUDIT_WRITE', `audit record could not be signed${reason}`, { cause: error }),
        [],
      );
      return reject(
        this.#failure ?? new GatewayError('GW_ERR_AUDIT_WRITE', 'audit record could not be signed'),
      );
    }
    const record: AuditRecord = { ...unsigned, sig };
    const line = Buffer.from(encodeRecordLine(record), 'utf8');
    if (line.length > MAX_RECORD_BYTES) {
      return reject(new GatewayError('GW_ERR_AUDIT_WRITE', 'audit record "data" is too large'));
    }
    const hash = hashRecord(record);
    this.#chain = { seq: record.seq, hash };
    this.#pending.push({ record, hash, line, resolve, reject });
    this.#scheduleFlush();
  }

  /** The log fails for good: `batch` and every pending record are rejected with `failure`. */
  #fail(failure: GatewayError, batch: readonly Pending[]): void {
    this.#failure ??= failure;
    for (const item of [...batch, ...this.#pending.splice(0)]) item.reject(this.#failure);
  }

  #scheduleFlush(): void {
    if (this.#flushing) return;
    this.#flushing = (async () => {
      try {
        await this.#flushLoop();
      } finally {
        this.#flushing = undefined;
        // Records appended between the loop's last look and now would otherwise wait for the next append.
        if (this.#pending.length > 0) this.#scheduleFlush();
      }
    })();
  }

  /**
   * Continues the chain under a new signing key: writes `key.rotated` (naming the previous key id,
   * and cross-signed by it: `endorsement`), signed like every record after it by the new key.
   */
  rotateKey(signer: RecordSigner): Promise<AuditRecord> {
    const now = this.#options.clock.now();
    // in the sealing order: records appended before are signed by the old key, this one on by the new
    return new Promise<AuditRecord>((resolve, reject) => {
      this.#sealing = this.#sealing.then(async () => {
        const previousKid = this.#signer.kid;
        if (signer.kid === previousKid) {
          return reject(new GatewayError('GW_ERR_AUDIT_KEY', 'new audit key is the key in use'));
        }
        let endorsement: string;
        try {
          endorsement = await this.#signer.sign(rotationStatement(previousKid, signer.kid));
        } catch (error) {
          return reject(
            new GatewayError('GW_ERR_AUDIT_KEY', 'the old key did not endorse the rotation', {
              cause: error,
            }),
          );
        }
        this.#signer = signer;
        const data = { previousKid, endorsement };
        await this.#seal({ type: 'key.rotated', actor: 'system:gateway', data }, now, resolve, reject);
      });
    });
  }

  /** Resolves once every record appended so far is on disk; rejects if the log failed. */
  async durable(): Promise<void> {
    await this.#sealing;
    while (this.#flushing) await this.#flushing;
    if (this.#failure) throw this.#failure;
  }

  /** Writes `log.closed`, syncs, and closes the file. */
  async close(reason = 'stop'): Promise<void> {
    if (this.#closed) return;
    const closing = this.#failure
      ? undefined
      : this.append({ type: 'log.closed', actor: 'system:gateway', data: { reason } });
    this.#closed = true;
    try {
      await closing;
      await this.durable();
    } finally {
      await this.#segments.close();
    }
  }

  async #flushLoop(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0);
      try {
        const file = await this.#segments.write(batch);
        const last = batch[batch.length - 1];
        if (file !== undefined && last !== undefined) {
          this.#unheaded = { seq: last.record.seq, hash: last.hash, file };
          // a signer keeping its own chain will not sign before this record again
          await this.#signer.confirm?.(last.record.seq, last.hash);
        }
        // the head follows the log when it has caught up, and at least every HEAD_INTERVAL_MS under
        // a steady stream of records (a head per batch was two fsyncs and a signature per record)
        const caughtUp = this.#pending.length === 0;
        if (
          this.#unheaded &&
          (caughtUp || this.#options.clock.monotonic() - this.#headAt >= HEAD_INTERVAL_MS)
        ) {
          const { directory, clock } = this.#options;
          await writeSignedHead(directory, this.#signer, this.#unheaded, clock.now());
          this.#unheaded = undefined;
          this.#headAt = this.#options.clock.monotonic();
        }
      } catch (error) {
        this.#fail(
          new GatewayError('GW_ERR_AUDIT_WRITE', 'audit record could not be written to disk', {
            cause: error,
          }),
          batch,
        );
        return;
      }
      for (const item of batch) item.resolve(item.record);
    }
  }
}

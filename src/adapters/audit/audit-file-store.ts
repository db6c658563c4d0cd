import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
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
import { type HeadedRecord, syncDirectory, writeSignedHead } from './audit-head-file.js';
import type { RecordSigner } from './audit-record-signer.js';
import type { AuditResumption } from './audit-resumption.js';
import { segmentName } from './audit-segments.js';

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

interface Segment {
  readonly handle: FileHandle;
  readonly name: string;
  readonly day: string;
  size: number;
}

/** The failure shows through `durable()`, which the caller awaits. */
function ignore(): void {}

function day(at: string): string {
  return at.slice(0, 10);
}

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
  #pending: Pending[] = [];
  #flushing: Promise<void> | undefined;
  #segment: Segment | undefined;
  #failure: GatewayError | undefined;
  #closed = false;
  /** The last record synced but not yet named by the signed head, and its segment. */
  #unheaded: HeadedRecord | undefined;
  /** When the head was last written (monotonic ms: a wall-clock step must not stop it). */
  #headAt = Number.NEGATIVE_INFINITY;

  private constructor(options: AuditFileStoreOptions, last: AuditRecord | undefined) {
    this.#options = options;
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
      const endorsement = options.previousSigner.sign(rotationStatement(last.kid, options.signer.kid));
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

  /** Signs and chains `entry` now (so records keep call order) and resolves once it is on disk. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new GatewayError('GW_ERR_AUDIT_WRITE', 'audit log is closed'));
    const unsigned = nextRecord(this.#chain, entry, {
      now: this.#options.clock.now(),
      kid: this.#signer.kid,
    });
    const record: AuditRecord = { ...unsigned, sig: this.#signer.sign(signingInput(unsigned)) };
    const line = Buffer.from(encodeRecordLine(record), 'utf8');
    if (line.length > MAX_RECORD_BYTES) {
      return Promise.reject(new GatewayError('GW_ERR_AUDIT_WRITE', 'audit record "data" is too large'));
    }
    const hash = hashRecord(record);
    this.#chain = { seq: record.seq, hash };
    return new Promise<AuditRecord>((resolve, reject) => {
      this.#pending.push({ record, hash, line, resolve, reject });
      this.#scheduleFlush();
    });
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
    const previousKid = this.#signer.kid;
    if (signer.kid === previousKid)
      return Promise.reject(new GatewayError('GW_ERR_AUDIT_KEY', 'new audit key is the key in use'));
    const endorsement = this.#signer.sign(rotationStatement(previousKid, signer.kid));
    this.#signer = signer;
    return this.append({ type: 'key.rotated', actor: 'system:gateway', data: { previousKid, endorsement } });
  }

  /** Resolves once every record appended so far is on disk; rejects if the log failed. */
  async durable(): Promise<void> {
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
      await this.#segment?.handle.close().catch(() => undefined);
      this.#segment = undefined;
    }
  }

  async #flushLoop(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0);
      try {
        const file = await this.#write(batch);
        const last = batch[batch.length - 1];
        if (file !== undefined && last !== undefined) {
          this.#unheaded = { seq: last.record.seq, hash: last.hash, file };
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
        this.#failure = new GatewayError('GW_ERR_AUDIT_WRITE', 'audit record could not be written to disk', {
          cause: error,
        });
        for (const item of [...batch, ...this.#pending.splice(0)]) item.reject(this.#failure);
        return;
      }
      for (const item of batch) item.resolve(item.record);
    }
  }

  /** Writes and syncs `batch`; returns the segment its last record went to. */
  async #write(batch: readonly Pending[]): Promise<string | undefined> {
    let chunks: Buffer[] = [];
    let segment = this.#segment;
    for (const item of batch) {
      if (
        segment === undefined ||
        segment.day !== day(item.record.at) ||
        (segment.size > 0 && segment.size + item.line.length > this.#options.maxFileBytes)
      ) {
        if (segment !== undefined) {
          await this.#sync(segment, chunks);
          await segment.handle.close();
        }
        chunks = [];
        segment = await this.#openSegment(item.record);
        this.#segment = segment;
      }
      chunks.push(item.line);
      segment.size += item.line.length;
    }
    if (segment === undefined) return undefined;
    await this.#sync(segment, chunks);
    return segment.name;
  }

  async #sync(segment: Segment, chunks: readonly Buffer[]): Promise<void> {
    if (chunks.length === 0) return;
    const bytes = Buffer.concat(chunks);
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await segment.handle.write(bytes, written);
      written += bytesWritten;
    }
    await segment.handle.sync();
  }

  async #openSegment(first: AuditRecord): Promise<Segment> {
    const name = segmentName(first.seq, first.at);
    const path = join(this.#options.directory, name);
    const handle = await open(path, 'a', 0o600);
    const { size } = await handle.stat();
    await syncDirectory(this.#options.directory);
    return { handle, name, day: day(first.at), size };
  }
}

import type { Worker } from 'node:worker_threads';
import type { AuditEntry } from '../../domain/audit/audit-record.js';
import { GatewayError } from '../../errors.js';
import { siblingModuleUrl, startModuleWorker } from '../module-worker.js';
import { resumeAuditLog } from './audit-resume.js';
import type { AuditSigner } from './audit-signer.js';
import {
  type AuditThreadReply,
  type AuditThreadRequest,
  type AuditThreadSettings,
  fromThreadError,
} from './audit-thread-protocol.js';

export interface AuditStoreThreadOptions {
  /** The log directory (made, mode 0700, when missing). */
  readonly directory: string;
  /** A key in this process, or the signer process's socket (the thread connects to it itself). */
  readonly signer: AuditSigner | SignerSocket;
  /** The key the log was last signed with, when `signer` replaces it: it cross-signs the rotation. */
  readonly previousSigner?: AuditSigner;
  /** A segment file is closed and a new one begun before it would grow past this; also at each UTC day. */
  readonly maxFileBytes: number;
  /** Gives each record its time, when `append` is called. */
  readonly clock: { now(): number };
  /** Called once, when the open log fails (a write failed, the thread died): no record is written from then on. */
  readonly onFailure?: (error: GatewayError) => void;
  /** Tests only: sees the thread's Worker (to end it). */
  readonly onWorker?: (worker: Worker) => void;
}

/** The audit signer process (src/signer): its socket, and its key id (from its `hello`). */
export interface SignerSocket {
  readonly socketPath: string;
  readonly kid: string;
}

interface Settle {
  readonly resolve: () => void;
  readonly reject: (error: GatewayError) => void;
}

/**
 * The thread's young generation (MiB). Left to V8, the process's peak RSS was ~20 MiB higher at 2,000
 * records a second (117–119 against 96–99 MiB); at 8 the thread's garbage is collected sooner, for
 * no CPU cost we could measure.
 */
const YOUNG_GENERATION_MB = 8;

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
/** A request before it has its id. */
type Request = WithoutId<AuditThreadRequest>;

/**
 * The audit log (AuditFileStore) run on a thread of its own (audit-store-worker.ts), so that the
 * main thread, which also serves DTMF reports and the agents' screens, spends on a record no more than
 * handing it over: canonical JSON, the chain hash, the Ed25519 signature, the writes, the syncs and
 * the signed head all happen on the thread.
 *
 * Same contract as the store: records are chained in the order `append` was called, each stamped
 * with the clock's time at that call; `append` resolves once its record is synced; `durable()` once
 * everything appended before it is; a failed write fails every pending and later record
 * (GW_ERR_AUDIT_WRITE). The thread dying, or failing, is such a failure (fail-closed). The log's end is
 * read on the main thread at `open`, before the thread starts, so start-up errors surface there with
 * their own codes (GW_ERR_AUDIT_LOG).
 */
export class AuditStoreThread {
  readonly #worker: Worker;
  readonly #clock: { now(): number };
  readonly #onFailure: ((error: GatewayError) => void) | undefined;
  /** Appends and rotations not yet synced or refused, by request id (in id order). */
  readonly #records = new Map<number, Settle>();
  /** `durable` and `close` requests not yet answered. */
  readonly #requests = new Map<number, Settle>();
  /** Requests made in this turn of the event loop, posted together at its end. */
  #outbox: AuditThreadRequest[] = [];
  #nextId = 1;
  #state: 'opening' | 'open' | 'closed' = 'opening';
  /** The thread is gone (ended by close, or died). */
  #ended = false;
  /** This side ended the thread (close, a failed open): its exit is no failure. */
  #terminating = false;
  #failure: GatewayError | undefined;
  #lastSeq: number | undefined;
  readonly #opened: Promise<void>;
  #settleOpen: Settle | undefined;
  /** The close under way (`log.closed`, sync, thread ended): later `durable`/`close` calls wait for it. */
  #closing: Promise<void> | undefined;

  private constructor(worker: Worker, options: AuditStoreThreadOptions) {
    this.#worker = worker;
    this.#clock = options.clock;
    this.#onFailure = options.onFailure;
    this.#opened = new Promise<void>((resolve, reject) => {
      this.#settleOpen = { resolve, reject };
    });
    worker.on('message', (reply: AuditThreadReply) => this.#onReply(reply));
    worker.on('error', (error) => this.#died(this.#deathError('failed', error)));
    worker.on('messageerror', (error) => this.#died(this.#deathError('failed', error)));
    worker.on('exit', (code) => {
      if (this.#terminating) this.#ended = true;
      else this.#died(this.#deathError(`exited (${code})`));
    });
  }

  /**
   * Opens the log in `directory` as AuditFileStore.open does: reads where it ends (here), then starts
   * the thread, which writes `key.rotated` when the key changed and `log.opened`. Resolves once that
   * is on disk; rejects with GW_ERR_AUDIT_LOG (directory, last record) or GW_ERR_AUDIT_WRITE.
   */
  static async open(options: AuditStoreThreadOptions): Promise<AuditStoreThread> {
    const resumption = await resumeAuditLog(options.directory);
    const settings: AuditThreadSettings = {
      directory: options.directory,
      maxFileBytes: options.maxFileBytes,
      ...('socketPath' in options.signer
        ? { signerSocket: options.signer.socketPath }
        : { key: options.signer.signingKey }),
      ...(options.previousSigner ? { previousKey: options.previousSigner.signingKey } : {}),
      resumption,
      openedAt: options.clock.now(),
    };
    const worker = startModuleWorker(siblingModuleUrl(import.meta.url, 'audit-store-worker'), {
      workerData: settings,
      name: 'audit-store',
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    const thread = new AuditStoreThread(worker, options);
    options.onWorker?.(worker);
    try {
      await thread.#opened;
    } catch (error) {
      thread.#terminating = true;
      await worker.terminate();
      throw error;
    }
    return thread;
  }

  /** The sequence number of the last record known to be on disk. */
  get lastSeq(): number | undefined {
    return this.#lastSeq;
  }

  /** Set once a write failed or the thread died; the log takes no more records. */
  get failure(): GatewayError | undefined {
    return this.#failure;
  }

  /** Hands `entry` to the thread, stamped with the time now; resolves once its record is on disk. */
  append(entry: AuditEntry): Promise<void> {
    return this.#record({ type: 'append', at: this.#clock.now(), entry });
  }

  /**
   * Continues the chain under `signer`'s key: a `key.rotated` record, signed like every record after
   * it by the new key (its private key is posted to the thread). Rejects with GW_ERR_AUDIT_KEY when
   * it is the key in use.
   */
  rotateKey(signer: AuditSigner): Promise<void> {
    return this.#record({ type: 'rotate', at: this.#clock.now(), key: signer.signingKey });
  }

  /** Resolves once every record appended so far is on disk; rejects if the log failed. */
  durable(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    // the close syncs everything appended before it: its outcome is the answer
    if (this.#closing) return this.#closing;
    return this.#request({ type: 'durable' });
  }

  /**
   * Writes `log.closed`, syncs, closes the file and ends the thread. Rejects if the log failed. A
   * second call gets the first one's outcome.
   */
  close(reason = 'stop'): Promise<void> {
    this.#closing ??= this.#close(reason);
    return this.#closing;
  }

  async #close(reason: string): Promise<void> {
    this.#state = 'closed';
    try {
      if (!this.#ended) await this.#request({ type: 'close', at: this.#clock.now(), reason });
      if (this.#failure) throw this.#failure;
    } finally {
      this.#terminating = true;
      await this.#worker.terminate();
    }
  }

  #record(request: Extract<Request, { type: 'append' | 'rotate' }>): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#state === 'closed') {
      return Promise.reject(new GatewayError('GW_ERR_AUDIT_WRITE', 'audit log is closed'));
    }
    return this.#post(this.#records, request);
  }

  #request(request: Extract<Request, { type: 'durable' | 'close' }>): Promise<void> {
    if (this.#ended) {
      return Promise.reject(
        this.#failure ?? new GatewayError('GW_ERR_AUDIT_WRITE', 'audit log thread has ended'),
      );
    }
    return this.#post(this.#requests, request);
  }

  #post(pending: Map<number, Settle>, request: Request): Promise<void> {
    const id = this.#nextId;
    this.#nextId += 1;
    return new Promise<void>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (this.#outbox.length === 0) queueMicrotask(() => this.#flushOutbox());
      this.#outbox.push({ ...request, id } as AuditThreadRequest);
    });
  }

  #flushOutbox(): void {
    const requests = this.#outbox;
    this.#outbox = [];
    if (!this.#ended && requests.length > 0) this.#worker.postMessage(requests);
  }

  #onReply(reply: AuditThreadReply): void {
    switch (reply.type) {
      case 'opened':
        this.#lastSeq = reply.seq;
        this.#state = 'open';
        this.#settleOpen?.resolve();
        this.#settleOpen = undefined;
        return;
      case 'synced':
        this.#lastSeq = reply.seq;
        for (const [id, settle] of this.#records) {
          if (id > reply.through) break;
          this.#records.delete(id);
          settle.resolve();
        }
        return;
      case 'refused':
        this.#records.get(reply.id)?.reject(fromThreadError(reply.error));
        this.#records.delete(reply.id);
        return;
      case 'failed':
        this.#fail(fromThreadError(reply.error));
        return;
      case 'done': {
        const settle = this.#requests.get(reply.id);
        this.#requests.delete(reply.id);
        if (reply.error === undefined) settle?.resolve();
        else settle?.reject(this.#failure ?? fromThreadError(reply.error));
        return;
      }
    }
  }

  #deathError(what: string, cause?: unknown): GatewayError {
    return this.#state === 'opening'
      ? new GatewayError('GW_ERR_AUDIT_LOG', `audit log thread ${what} while opening`, { cause })
      : new GatewayError('GW_ERR_AUDIT_WRITE', `audit log thread ${what}`, { cause });
  }

  /** The thread ended, threw, or sent what cannot be read: it is ended for good, and the log failed. */
  #died(error: GatewayError): void {
    this.#ended = true;
    this.#fail(error);
    if (!this.#terminating) {
      this.#terminating = true;
      void this.#worker.terminate();
    }
  }

  /** Fails the log for good: every pending record and request, the open if it is still running. */
  #fail(error: GatewayError): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    for (const settle of [...this.#records.values(), ...this.#requests.values()]) settle.reject(error);
    this.#records.clear();
    this.#requests.clear();
    if (this.#settleOpen) {
      this.#settleOpen.reject(error);
      this.#settleOpen = undefined;
    } else {
      this.#onFailure?.(error);
    }
  }
}

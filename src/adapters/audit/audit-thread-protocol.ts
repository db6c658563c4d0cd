/** What the audit store's thread and the main thread exchange (audit-store-worker.ts ↔ audit-store-thread.ts). */
import type { AuditEntry } from '../../domain/audit/audit-record.js';
import { type ErrorCode, GatewayError, isGatewayError } from '../../errors.js';
import type { SigningKey } from './audit-record-signer.js';
import type { AuditResumption } from './audit-resumption.js';

/** The thread's settings (its workerData). */
export interface AuditThreadSettings {
  readonly directory: string;
  readonly maxFileBytes: number;
  /** The signing key, or (instead) the signer process's socket: the key then never reaches this process. */
  readonly key?: SigningKey;
  readonly signerSocket?: string;
  /** The key the log was last signed with, when `key` replaces it (it cross-signs the rotation). */
  readonly previousKey?: SigningKey;
  /** Where the log in `directory` ended, as the main thread read it (resumeAuditLog). */
  readonly resumption: AuditResumption;
  /** The main thread's clock when it opened the log: the `at` of `log.opened`. */
  readonly openedAt: number;
}

/**
 * Requests, in the order the main thread made them (posted in batches: one message per turn of its
 * event loop). `id` counts every request; `at` is the main thread's clock when it made the request,
 * which becomes the record's time.
 */
export type AuditThreadRequest =
  | { type: 'append'; id: number; at: number; entry: AuditEntry }
  | { type: 'rotate'; id: number; at: number; key: SigningKey }
  /** Answered by `done` once every record requested before it is on disk. */
  | { type: 'durable'; id: number }
  /** Writes `log.closed` and closes the file; answered by `done`. */
  | { type: 'close'; id: number; at: number; reason: string };

export type AuditThreadReply =
  /** The log is open (`log.opened` is on disk, as record `seq`). */
  | { type: 'opened'; seq: number }
  /** Every append or rotate up to `through` that was not refused is on disk; the last is record `seq`. */
  | { type: 'synced'; through: number; seq: number }
  /** That one record was refused (too large, the key already in use); the log goes on. */
  | { type: 'refused'; id: number; error: ThreadError }
  /** The log failed (or could not open): every pending and later record fails. Sent once. */
  | { type: 'failed'; error: ThreadError }
  /** The answer to `durable` and `close`. */
  | { type: 'done'; id: number; error?: ThreadError | undefined };

/** A GatewayError as it crosses between threads (code, message, and what caused it). */
export interface ThreadError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly cause?: { readonly message: string; readonly code?: string | undefined } | undefined;
}

function describeCause(cause: unknown): ThreadError['cause'] {
  if (cause === undefined) return undefined;
  if (!(cause instanceof Error)) return { message: String(cause) };
  const code = (cause as NodeJS.ErrnoException).code;
  return { message: cause.message, code: typeof code === 'string' ? code : undefined };
}

/** `error` to post; anything but a GatewayError becomes a GW_ERR_AUDIT_WRITE caused by it. */
export function toThreadError(error: unknown): ThreadError {
  if (isGatewayError(error))
    return { code: error.code, message: error.message, cause: describeCause(error.cause) };
  return { code: 'GW_ERR_AUDIT_WRITE', message: 'audit log thread failed', cause: describeCause(error) };
}

/** The GatewayError a posted error stands for (its cause an Error with the same message and code). */
export function fromThreadError(error: ThreadError): GatewayError {
  const { cause } = error;
  const rebuilt =
    cause === undefined
      ? undefined
      : Object.assign(new Error(cause.message), cause.code === undefined ? {} : { code: cause.code });
  return new GatewayError(error.code, error.message, { cause: rebuilt });
}

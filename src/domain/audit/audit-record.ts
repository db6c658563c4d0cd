/**
 * The audit record: one line of the audit log. Every record names who (actor, agent), what (type),
 * when (at), which call and payment, and the facts of the event in `data`: status, outcome, masking
 * state, field states and digit counts. Never card data: the builders in audit-entries.ts take no
 * digit, no mask string and no token, and keep the last four only in the record of a successful
 * payment (PCI DSS 3.4.1 allows BIN and last four; the record keeps less).
 *
 * Records form a hash chain: `prev` is the SHA-256 (hex) of the canonical JSON of the record before
 * it, and `sig` is an Ed25519 signature, by the key named `kid`, over the canonical JSON of the
 * record without `sig`. `seq` counts records from 0 across every file of the log, so a deletion, a
 * reordering or a missing file shows as a gap even where no hash could be compared.
 */
import { type CanonicalValue, canonicalJson } from './audit-canonical-json.js';

export const AUDIT_RECORD_VERSION = 1;

/** `prev` of the first record of a log. */
export const GENESIS_HASH = '0'.repeat(64);

export const AUDIT_EVENT_TYPES = [
  /** The gateway opened the log (start-up); data says what it found (torn tail, head ahead of the log). */
  'log.opened',
  /** The gateway closed the log (clean stop). */
  'log.closed',
  /** The signing key changed; this record and the ones after it are signed by the new key. */
  'key.rotated',
  'call.answered',
  /** An agent connected after the call's IVR, or a transfer to another agent (with the masking that holds). */
  'call.agent',
  'call.ended',
  'payment.started',
  'payment.updated',
  'payment.finished',
  /** Something a signed-in principal did through the API (delivery layer). */
  'api.action',
  /**
   * An authentication or authorisation event: sign-in (allowed, failed, throttled), sign-out, a
   * refused session, bearer token, role or cross-site request (PCI DSS 10.2.1.2, 10.2.1.4, 10.2.1.5).
   */
  'auth.event',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export type AuditData = { readonly [key: string]: CanonicalValue | undefined };

/** What a writer supplies; the log adds the sequence number, time, chain link, key id and signature. */
export interface AuditEntry {
  readonly type: AuditEventType;
  /** Who caused the event: `system:kamailio`, `system:gateway`, `agent:<id>`, `integration:<name>`. */
  readonly actor: string;
  /** The agent whose call it is, for call and payment records. */
  readonly agent?: string;
  readonly callId?: string;
  readonly paymentId?: string;
  readonly data: AuditData;
}

export interface UnsignedAuditRecord extends AuditEntry {
  readonly v: typeof AUDIT_RECORD_VERSION;
  readonly seq: number;
  /** ISO 8601, UTC, milliseconds. */
  readonly at: string;
  readonly prev: string;
  readonly kid: string;
}

export interface AuditRecord extends UnsignedAuditRecord {
  /** Ed25519 signature (base64url) over `signingInput(record without sig)`. */
  readonly sig: string;
}

/** Where a chain stands: the last record's sequence number and hash (undefined before the first). */
export interface AuditChainHead {
  readonly seq: number;
  readonly hash: string;
}

/** The next record of a chain, ready to sign. */
export function nextRecord(
  head: AuditChainHead | undefined,
  entry: AuditEntry,
  options: { readonly now: number; readonly kid: string },
): UnsignedAuditRecord {
  return {
    v: AUDIT_RECORD_VERSION,
    seq: head === undefined ? 0 : head.seq + 1,
    at: new Date(options.now).toISOString(),
    prev: head === undefined ? GENESIS_HASH : head.hash,
    kid: options.kid,
    type: entry.type,
    actor: entry.actor,
    ...(entry.agent === undefined ? {} : { agent: entry.agent }),
    ...(entry.callId === undefined ? {} : { callId: entry.callId }),
    ...(entry.paymentId === undefined ? {} : { paymentId: entry.paymentId }),
    data: entry.data,
  };
}

function asCanonical(record: UnsignedAuditRecord | AuditRecord): CanonicalValue {
  return record as unknown as CanonicalValue;
}

/** The text a record's signature covers: its canonical JSON without `sig`. */
export function signingInput(record: UnsignedAuditRecord | AuditRecord): string {
  const { sig: _ignored, ...unsigned } = record as AuditRecord;
  return canonicalJson(asCanonical(unsigned));
}

/** The text a record is stored as, and the text the next record's `prev` hashes. */
export function recordText(record: AuditRecord): string {
  return canonicalJson(asCanonical(record));
}

/** The signed statement of how far the log reaches, kept beside it (`audit-head.json`). */
export interface AuditHead {
  readonly v: typeof AUDIT_RECORD_VERSION;
  readonly type: 'audit.head';
  readonly seq: number;
  readonly hash: string;
  readonly file: string;
  readonly at: string;
  readonly kid: string;
  readonly sig: string;
}

export function headSigningInput(head: Omit<AuditHead, 'sig'> | AuditHead): string {
  const { sig: _ignored, ...unsigned } = head as AuditHead;
  return canonicalJson(unsigned as unknown as CanonicalValue);
}

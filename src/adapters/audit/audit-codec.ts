/**
 * A record as a line of the log, and the hashes of the chain. No parsing here (audit-parser.ts, with
 * zod, reads lines back): the audit store's thread loads this module and stays small.
 */
import { type AuditRecord, recordText } from '../../domain/audit/audit-record.js';
import { sha256Hex } from '../../domain/sha256.js';

/** The longest line the log writes or reads; a longer one is not a record. */
export const MAX_RECORD_BYTES = 64 * 1024;

/** The hash the next record's `prev` carries. */
export function hashRecord(record: AuditRecord): string {
  return sha256Hex(recordText(record));
}

/** A record as one line of its file. */
export function encodeRecordLine(record: AuditRecord): string {
  return `${recordText(record)}\n`;
}

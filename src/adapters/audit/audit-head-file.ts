import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { AUDIT_RECORD_VERSION, type AuditHead, headSigningInput } from '../../domain/audit/audit-record.js';
import type { RecordSigner } from './audit-record-signer.js';
import { HEAD_FILE } from './audit-segments.js';

/** The record the signed head names: the last one synced, its hash and its segment file. */
export interface HeadedRecord {
  readonly seq: number;
  readonly hash: string;
  readonly file: string;
}

/**
 * Replaces `audit-head.json` in `directory` atomically (write a temporary file, fsync, rename) with a
 * signed statement of the last synced record, so records cut from the end of the log can be told.
 */
export async function writeSignedHead(
  directory: string,
  signer: RecordSigner,
  named: HeadedRecord,
  now: number,
): Promise<void> {
  const unsigned: Omit<AuditHead, 'sig'> = {
    v: AUDIT_RECORD_VERSION,
    type: 'audit.head',
    seq: named.seq,
    hash: named.hash,
    file: named.file,
    at: new Date(now).toISOString(),
    kid: signer.kid,
  };
  const head: AuditHead = { ...unsigned, sig: await signer.sign(headSigningInput(unsigned)) };
  const path = join(directory, HEAD_FILE);
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(head)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

/** Syncs a directory, so that a file just made in it survives a crash. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse to sync a directory; the file's own sync still holds its bytes.
  } finally {
    await handle.close();
  }
}

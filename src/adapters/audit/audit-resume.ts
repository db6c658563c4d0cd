import { mkdir, open, readFile, stat, truncate } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AuditData, AuditRecord } from '../../domain/audit/audit-record.js';
import { GatewayError } from '../../errors.js';
import { hashRecord, MAX_RECORD_BYTES } from './audit-codec.js';
import { parseHead, parseRecordLine } from './audit-parser.js';
import type { AuditResumption } from './audit-resumption.js';
import { HEAD_FILE, listSegments } from './audit-segments.js';

/**
 * Before a log is continued: makes the directory (mode 0700) when missing, and reads where the log
 * ends (its last complete record; a torn last line is cut off and noted; a signed head further than
 * the log is noted). Runs where the log is opened, before the store (or its thread) writes anything.
 * Rejects with GW_ERR_AUDIT_LOG when the directory cannot be read or the last record is none.
 */
export async function resumeAuditLog(directory: string): Promise<AuditResumption> {
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    return await readResumption(directory);
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('GW_ERR_AUDIT_LOG', 'audit log directory cannot be opened', { cause: error });
  }
}

/** Finds the last complete record of the log in `directory`, cutting a torn last line. */
async function readResumption(directory: string): Promise<AuditResumption> {
  const data: Record<string, AuditData[string]> = { reason: 'start' };
  const segments = await listSegments(directory);
  let last: AuditRecord | undefined;
  for (let index = segments.length - 1; index >= 0 && last === undefined; index -= 1) {
    const path = segments[index] as string;
    const { size } = await stat(path);
    const tailLength = Math.min(size, 2 * MAX_RECORD_BYTES + 2);
    const tail = await readTail(path, size, tailLength);
    let end = tail.lastIndexOf(0x0a) + 1;
    if (end < tail.length) {
      // A write that never completed: it was never acknowledged, so it is no record. Cut it, say so.
      const torn = tail.length - end;
      await truncate(path, size - torn);
      data.tornBytes = torn;
      data.tornFile = basename(path);
    }
    if (end === 0) continue;
    end -= 1; // the newline of the last line
    const start = tail.lastIndexOf(0x0a, end - 1) + 1;
    if (start === 0 && tailLength < size) {
      throw new GatewayError('GW_ERR_AUDIT_LOG', 'last audit record is too long to be one');
    }
    last = parseRecordLine(tail.subarray(start, end).toString('utf8'));
    if (last === undefined) {
      throw new GatewayError('GW_ERR_AUDIT_LOG', 'last audit record cannot be read; run audit verify');
    }
  }
  if (last !== undefined) data.resumedFrom = last.seq;
  let headText: string | undefined;
  try {
    headText = await readFile(join(directory, HEAD_FILE), 'utf8');
  } catch {
    headText = undefined;
  }
  if (headText !== undefined) {
    const head = parseHead(headText);
    if (head === undefined) {
      data.headUnreadable = true;
    } else {
      const lastHash = last === undefined ? undefined : hashRecord(last);
      const ahead =
        last === undefined || head.seq > last.seq || (head.seq === last.seq && head.hash !== lastHash);
      if (ahead) data.headAhead = { seq: head.seq, hash: head.hash };
    }
  }
  return { last, data };
}

async function readTail(path: string, size: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer;
  } finally {
    await handle.close();
  }
}

import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The files of an audit log directory: segments `audit-<first seq, 12 digits>-<YYYYMMDD>.jsonl`, one
 * record a line, which sort by name in log order; and the signed head `audit-head.json`.
 */
export const HEAD_FILE = 'audit-head.json';

const SEGMENT = /^audit-(\d{12})-(\d{8})\.jsonl$/;

export function segmentName(firstSeq: number, at: string): string {
  return `audit-${String(firstSeq).padStart(12, '0')}-${at.slice(0, 10).replaceAll('-', '')}.jsonl`;
}

export function isSegmentName(name: string): boolean {
  return SEGMENT.test(name);
}

/** The UTC day (YYYYMMDD) a segment's name carries. */
export function segmentDay(name: string): string | undefined {
  return SEGMENT.exec(name)?.[2];
}

/** The segment files of `directory`, in log order (full paths). */
export async function listSegments(directory: string): Promise<string[]> {
  const names = (await readdir(directory)).filter(isSegmentName).sort();
  return names.map((name) => join(directory, name));
}

export interface FileLine {
  readonly text: string;
  /** 1-based. */
  readonly line: number;
  /** The line ended with `\n` (a torn write leaves the last line without one). */
  readonly terminated: boolean;
  /** Byte offset of the line's start. */
  readonly offset: number;
}

/** The lines of a file, streamed; each is told whether it is the last. */
export async function* readLines(path: string): AsyncGenerator<FileLine & { readonly last: boolean }> {
  let pending: FileLine | undefined;
  let carry: Buffer = Buffer.alloc(0);
  let line = 0;
  let offset = 0;
  for await (const chunk of createReadStream(path)) {
    let buffer: Buffer = carry.length === 0 ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
    for (;;) {
      const end = buffer.indexOf(0x0a);
      if (end < 0) break;
      line += 1;
      if (pending) yield { ...pending, last: false };
      pending = { text: buffer.subarray(0, end).toString('utf8'), line, terminated: true, offset };
      offset += end + 1;
      buffer = buffer.subarray(end + 1);
    }
    carry = buffer;
  }
  if (carry.length > 0) {
    if (pending) yield { ...pending, last: false };
    yield { text: carry.toString('utf8'), line: line + 1, terminated: false, offset, last: true };
    return;
  }
  if (pending) yield { ...pending, last: true };
}

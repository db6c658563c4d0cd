import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditRecord } from '../../domain/audit/audit-record.js';
import { syncDirectory } from './audit-head-file.js';
import { segmentName } from './audit-segments.js';

interface Segment {
  readonly handle: FileHandle;
  readonly name: string;
  readonly day: string;
  size: number;
}

const day = (at: string): string => at.slice(0, 10);

/**
 * The segment files of one audit log as AuditFileStore writes them: records appended to the open
 * segment, a new one begun (named by its first record) before a segment would pass `maxFileBytes`
 * and at each UTC day; every write synced before it counts.
 */
export class AuditSegmentWriter {
  readonly #directory: string;
  readonly #maxFileBytes: number;
  #segment: Segment | undefined;

  constructor(directory: string, maxFileBytes: number) {
    this.#directory = directory;
    this.#maxFileBytes = maxFileBytes;
  }

  /** Writes and syncs `batch` (each record with its line); returns the segment its last record went to. */
  async write(
    batch: readonly { readonly record: AuditRecord; readonly line: Buffer }[],
  ): Promise<string | undefined> {
    let chunks: Buffer[] = [];
    let segment = this.#segment;
    for (const item of batch) {
      if (
        segment === undefined ||
        segment.day !== day(item.record.at) ||
        (segment.size > 0 && segment.size + item.line.length > this.#maxFileBytes)
      ) {
        if (segment !== undefined) {
          await sync(segment, chunks);
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
    await sync(segment, chunks);
    return segment.name;
  }

  async close(): Promise<void> {
    await this.#segment?.handle.close().catch(() => undefined);
    this.#segment = undefined;
  }

  async #openSegment(first: AuditRecord): Promise<Segment> {
    const name = segmentName(first.seq, first.at);
    const handle = await open(join(this.#directory, name), 'a', 0o600);
    const { size } = await handle.stat();
    await syncDirectory(this.#directory);
    return { handle, name, day: day(first.at), size };
  }
}

async function sync(segment: Segment, chunks: readonly Buffer[]): Promise<void> {
  if (chunks.length === 0) return;
  const bytes = Buffer.concat(chunks);
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await segment.handle.write(bytes, written);
    written += bytesWritten;
  }
  await segment.handle.sync();
}

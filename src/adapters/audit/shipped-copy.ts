import { stat } from 'node:fs/promises';
import { GatewayError } from '../../errors.js';
import { parseRecordLine } from './audit-parser.js';
import { listSegments, readLines } from './audit-segments.js';

/** What the receiver's copy says about the local log. */
export interface ShippedComparison {
  /** No record of the copy is missing from the local log or differs from it. */
  readonly ok: boolean;
  /** Distinct records in the copy (a line shipped twice counts once). */
  readonly shipped: number;
  readonly local: number;
  /** The copy's last sequence number, and the local log's. */
  readonly shippedLastSeq: number | undefined;
  readonly localLastSeq: number | undefined;
  /** Local records after the copy's last one: written, not shipped yet (or shipping is down). */
  readonly notShipped: number;
  /**
   * Local records older than the copy's last one that the copy lacks: lost on the way (syslog has no
   * acknowledgement) or from before shipping began. Not a rollback, but a hole in the off-host copy.
   */
  readonly missingFromCopy: number;
  readonly problems: readonly ShippedProblem[];
}

export interface ShippedProblem {
  /**
   * `missing-locally`: the copy holds a record the local log no longer has (cut off, rolled back);
   * `differs`: the local record with that number is not byte for byte what was shipped (rewritten);
   * `two-versions`: the copy received two different records with one number (the log was rolled back
   * and written again).
   */
  readonly kind: 'missing-locally' | 'differs' | 'two-versions';
  readonly seq: number;
}

/**
 * Compares the local log (`paths`: log folders or segment files) with the copy a receiver kept of
 * what the gateway shipped (one file, a record a line, in the order received; lines shipped twice are
 * one). The copy only shows what it received: records written after its last one are `notShipped`,
 * not a problem; records older than the local log's first (retention) are not compared. Signatures
 * and the chain are the verifier's job (verifyAuditLog): run it on both.
 */
export async function compareShippedCopy(options: {
  readonly paths: readonly string[];
  readonly shippedFile: string;
}): Promise<ShippedComparison> {
  const local = new Map<number, string>();
  for (const path of options.paths) {
    const files = (await stat(path)).isDirectory() ? await listSegments(path) : [path];
    for (const file of files) {
      for await (const line of readLines(file)) {
        const record = parseRecordLine(line.text);
        if (record) local.set(record.seq, line.text);
      }
    }
  }
  const shipped = new Map<number, string>();
  const problems: ShippedProblem[] = [];
  try {
    for await (const line of readLines(options.shippedFile)) {
      if (line.text.length === 0) continue;
      const record = parseRecordLine(line.text);
      if (!record) {
        throw new GatewayError(
          'GW_ERR_AUDIT_SHIPPED_COPY',
          `line ${line.line} of the shipped copy is not a record`,
        );
      }
      const earlier = shipped.get(record.seq);
      if (earlier === undefined) shipped.set(record.seq, line.text);
      else if (earlier !== line.text) problems.push({ kind: 'two-versions', seq: record.seq });
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('GW_ERR_AUDIT_SHIPPED_COPY', 'the shipped copy cannot be read', { cause: error });
  }
  const localSeqs = [...local.keys()];
  const localFirst = lowest(localSeqs) ?? Number.POSITIVE_INFINITY;
  const localLast = highest(localSeqs);
  for (const [seq, text] of [...shipped].sort(([a], [b]) => a - b)) {
    const mine = local.get(seq);
    if (mine === undefined) {
      if (seq > localFirst || localLast === undefined) problems.push({ kind: 'missing-locally', seq });
    } else if (mine !== text) problems.push({ kind: 'differs', seq });
  }
  const shippedLast = highest([...shipped.keys()]);
  return {
    ok: problems.length === 0,
    shipped: shipped.size,
    local: local.size,
    shippedLastSeq: shippedLast,
    localLastSeq: localLast,
    notShipped: localSeqs.filter((seq) => shippedLast === undefined || seq > shippedLast).length,
    missingFromCopy: localSeqs.filter(
      (seq) => shippedLast !== undefined && seq <= shippedLast && !shipped.has(seq),
    ).length,
    problems,
  };
}

// (a loop, not Math.max(...seqs): a year of records is more arguments than a call takes)
function highest(values: readonly number[]): number | undefined {
  let top: number | undefined;
  for (const value of values) if (top === undefined || value > top) top = value;
  return top;
}

function lowest(values: readonly number[]): number | undefined {
  let bottom: number | undefined;
  for (const value of values) if (bottom === undefined || value < bottom) bottom = value;
  return bottom;
}

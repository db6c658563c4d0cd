import { type AuditHead, headSigningInput } from '../../../domain/audit/audit-record.js';
import { type AuditLocation, describeLocation, describeRange, type ReportProblem } from './audit-problems.js';
import type { VerifySignature } from './verify-ports.js';

/** The signed head as the reader found it: found, required and not found (`missing`), or not asked for. */
export type HeadInput =
  | { readonly head: AuditHead; readonly location: AuditLocation }
  | 'missing'
  | undefined;

export interface HeadCheckInput {
  readonly head: HeadInput;
  readonly verify: VerifySignature;
  /** The highest sequence number the log holds. */
  readonly lastSeq: number | undefined;
  /** The hash of the record the head names, when the log holds it. */
  readonly namedHash: string | undefined;
}

/**
 * Checks the signed head against the end of the log: its signature, records cut from the end (the
 * head names a later record than the log holds) and the record it names (same hash).
 */
export function checkHead(input: HeadCheckInput, report: ReportProblem): 'ok' | 'absent' | 'bad' {
  const { head } = input;
  if (head === undefined) return 'absent';
  if (head === 'missing') {
    report(
      'head',
      { file: 'audit-head.json' },
      undefined,
      'no signed head (audit-head.json): the end of the log cannot be checked',
    );
    return 'absent';
  }
  const { location } = head;
  if (input.verify(head.head.kid, headSigningInput(head.head), head.head.sig) !== 'ok') {
    report('head', location, undefined, `${describeLocation(location)} fails its signature`);
    return 'bad';
  }
  const last = input.lastSeq;
  if (last === undefined || last < head.head.seq) {
    const from = last === undefined ? 0 : last + 1;
    report(
      'truncated',
      location,
      from,
      `${describeRange(from, head.head.seq)} missing at the end (the signed head names record ${head.head.seq})`,
    );
    return 'ok';
  }
  if (input.namedHash !== undefined && input.namedHash !== head.head.hash) {
    report(
      'head',
      location,
      head.head.seq,
      `record ${head.head.seq} differs from the one the signed head names`,
    );
    return 'bad';
  }
  return 'ok';
}

/**
 * What offline verification of an audit log reports: the kinds of tampering it names, where in the
 * files it saw them, and the wording of the places and ranges in its messages.
 */

export const AUDIT_PROBLEM_KINDS = [
  'edited',
  'deleted',
  'reordered',
  'truncated',
  'chain',
  'unknown-key',
  'key-change',
  'head',
] as const;
export type AuditProblemKind = (typeof AUDIT_PROBLEM_KINDS)[number];

export interface AuditLocation {
  readonly file: string;
  /** 1-based line of the file. */
  readonly line?: number;
}

export interface AuditProblem extends AuditLocation {
  readonly kind: AuditProblemKind;
  /** The sequence number of the bad record, where one is known. */
  readonly seq?: number;
  readonly message: string;
}

/** Notes a problem; the checks of a log share one. */
export type ReportProblem = (
  kind: AuditProblemKind,
  location: AuditLocation,
  seq: number | undefined,
  message: string,
) => void;

/** `file` or `file line N`, as messages name a place. */
export function describeLocation(location: AuditLocation): string {
  return location.line === undefined ? location.file : `${location.file} line ${location.line}`;
}

/** `record N` or `records N–M`. */
export function describeRange(from: number, to: number): string {
  return from === to ? `record ${from}` : `records ${from}–${to}`;
}

/** Problems by sequence number, those without one last. */
export function bySequence(problems: readonly AuditProblem[]): AuditProblem[] {
  return [...problems].sort(
    (a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER),
  );
}

/**
 * Checks an audit log, record by record in file order, without I/O: the caller reads the lines, and
 * injects the hash and the signature check. It names the first bad record of each kind of tampering:
 *
 * - `edited`: a record whose signature fails or that is no record at all (an edit, a forgery);
 * - `deleted`: sequence numbers missing, inside a file or between files (a whole file gone);
 * - `reordered`: a record before one it should follow, or a record again;
 * - `truncated`: a torn last line, records cut from the end (against the signed head), or a log
 *   the gateway found shorter than its head when it started (it says so in its `log.opened` record);
 * - `chain`: a correctly signed record that does not link to the record before it (a splice);
 * - `unknown-key`, `key-change`: a key the verifier was not given; a key change without `key.rotated`;
 * - `head`: the signed head is missing (when required), does not verify or disagrees with the log.
 */

import {
  type AuditHead,
  type AuditRecord,
  GENESIS_HASH,
  headSigningInput,
  recordText,
  signingInput,
} from './audit-record.js';

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

export type SignatureCheck = 'ok' | 'bad' | 'unknown-key';

export interface AuditChainCheckOptions {
  /** SHA-256 (hex) of a text. */
  readonly hash: (text: string) => string;
  readonly verify: (kid: string, input: string, signature: string) => SignatureCheck;
  /** The log must start at record 0 (a whole log rather than some of its files). */
  readonly requireGenesis: boolean;
  /** The signed head, when one was found; `missing` when it was required and not found. */
  readonly head?: { readonly head: AuditHead; readonly location: AuditLocation } | 'missing' | undefined;
}

/** One line of a file, as the reader found it. */
export type AuditLine =
  | { readonly kind: 'record'; readonly record: AuditRecord; readonly terminated: boolean }
  | { readonly kind: 'unreadable'; readonly terminated: boolean };

export interface AuditCheckResult {
  readonly ok: boolean;
  readonly records: number;
  readonly firstSeq?: number;
  readonly lastSeq?: number;
  readonly firstAt?: string;
  readonly lastAt?: string;
  /** Key ids whose signatures verified. */
  readonly keys: readonly string[];
  readonly head: 'ok' | 'absent' | 'bad';
  readonly problems: readonly AuditProblem[];
}

interface Gap {
  readonly from: number;
  readonly to: number;
  readonly location: AuditLocation;
  /** The record that came where the gap is. */
  readonly seq: number;
  filled: boolean;
}

function describe(location: AuditLocation): string {
  return location.line === undefined ? location.file : `${location.file} line ${location.line}`;
}

function range(from: number, to: number): string {
  return from === to ? `record ${from}` : `records ${from}–${to}`;
}

export class AuditChainCheck {
  readonly #options: AuditChainCheckOptions;
  readonly #problems: AuditProblem[] = [];
  readonly #gaps: Gap[] = [];
  readonly #keys = new Set<string>();
  #records = 0;
  #expected: number | undefined;
  #highest: number | undefined;
  #lastHash: string | undefined;
  #lastTrusted = false;
  #kid: string | undefined;
  #firstSeq: number | undefined;
  #firstAt: string | undefined;
  #lastAt: string | undefined;
  #headHashSeen: string | undefined;

  constructor(options: AuditChainCheckOptions) {
    this.#options = options;
    if (options.requireGenesis) this.#expected = 0;
  }

  /**
   * Feeds the next line; `last` says whether it is the last line of its file. Returns whether the
   * line is a record whose signature verified.
   */
  line(line: AuditLine, location: AuditLocation & { readonly line: number }, last: boolean): boolean {
    if (!line.terminated && last) {
      this.#problem(
        'truncated',
        location,
        this.#expected,
        `${describe(location)} is an incomplete last line`,
      );
      if (line.kind === 'unreadable') return false;
    }
    if (line.kind === 'unreadable') {
      this.#problem('edited', location, this.#expected, `${describe(location)} is not a readable record`);
      this.#untrusted(undefined);
      return false;
    }
    return this.#record(line.record, location);
  }

  finish(): AuditCheckResult {
    for (const gap of this.#gaps) {
      if (gap.filled) {
        this.#problem(
          'reordered',
          gap.location,
          gap.seq,
          `record ${gap.seq} (${describe(gap.location)}) comes before ${range(gap.from, gap.to)}`,
        );
      } else {
        this.#problem(
          'deleted',
          gap.location,
          gap.from,
          `${range(gap.from, gap.to)} missing before ${describe(gap.location)}`,
        );
      }
    }
    const headState = this.#checkHead();
    this.#problems.sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER));
    return {
      ok: this.#problems.length === 0,
      records: this.#records,
      ...(this.#firstSeq === undefined ? {} : { firstSeq: this.#firstSeq }),
      ...(this.#highest === undefined ? {} : { lastSeq: this.#highest }),
      ...(this.#firstAt === undefined ? {} : { firstAt: this.#firstAt }),
      ...(this.#lastAt === undefined ? {} : { lastAt: this.#lastAt }),
      keys: [...this.#keys],
      head: headState,
      problems: this.#problems,
    };
  }

  #record(record: AuditRecord, location: AuditLocation): boolean {
    this.#records += 1;
    const hash = this.#options.hash(recordText(record));
    this.#firstSeq ??= record.seq;
    this.#firstAt ??= record.at;
    this.#lastAt = record.at;
    const head = this.#options.head;
    if (typeof head === 'object' && head.head.seq === record.seq) this.#headHashSeen = hash;

    const signature = this.#options.verify(record.kid, signingInput(record), record.sig);
    if (signature !== 'ok') {
      if (signature === 'unknown-key') {
        this.#problem(
          'unknown-key',
          location,
          record.seq,
          `record ${record.seq} (${describe(location)}) is signed by a key not given`,
        );
      } else {
        this.#problem(
          'edited',
          location,
          record.seq,
          `record ${record.seq} (${describe(location)}) fails its signature`,
        );
      }
      this.#untrusted(hash);
      return false;
    }
    this.#keys.add(record.kid);
    this.#checkKey(record, location);
    this.#checkOpened(record, location);

    const expected = this.#expected;
    if (expected === undefined || record.seq === expected) {
      if (expected !== undefined && this.#lastTrusted && record.prev !== this.#lastHash) {
        this.#problem(
          'chain',
          location,
          record.seq,
          `record ${record.seq} (${describe(location)}) does not link to the record before it`,
        );
      }
      if (
        expected === undefined &&
        this.#options.requireGenesis === false &&
        record.seq === 0 &&
        record.prev !== GENESIS_HASH
      ) {
        this.#problem('chain', location, 0, `record 0 (${describe(location)}) does not start a chain`);
      }
      this.#advance(record.seq, hash);
      return true;
    }
    if (record.seq > expected) {
      this.#gaps.push({ from: expected, to: record.seq - 1, location, seq: record.seq, filled: false });
      this.#advance(record.seq, hash);
      return true;
    }
    // Lower than expected: it fills a gap (a reordering) or it came before (a repeat).
    const gap = this.#gaps.find((candidate) => record.seq >= candidate.from && record.seq <= candidate.to);
    if (gap) {
      gap.filled = true;
    } else {
      this.#problem(
        'reordered',
        location,
        record.seq,
        `record ${record.seq} (${describe(location)}) appears again or out of order`,
      );
    }
    this.#lastHash = hash;
    this.#lastTrusted = false;
    return true;
  }

  #advance(seq: number, hash: string): void {
    this.#expected = seq + 1;
    this.#highest = Math.max(this.#highest ?? seq, seq);
    this.#lastHash = hash;
    this.#lastTrusted = true;
  }

  /** A record that could not be trusted takes the place of the one expected. */
  #untrusted(hash: string | undefined): void {
    if (this.#expected !== undefined) {
      this.#highest = Math.max(this.#highest ?? this.#expected, this.#expected);
      this.#expected += 1;
    }
    this.#lastHash = hash;
    this.#lastTrusted = false;
  }

  #checkKey(record: AuditRecord, location: AuditLocation): void {
    if (record.type === 'key.rotated') {
      const previous = record.data.previousKid;
      if (this.#kid !== undefined && previous !== this.#kid) {
        this.#problem(
          'key-change',
          location,
          record.seq,
          `record ${record.seq} (${describe(location)}) rotates from a key that was not in use`,
        );
      }
      this.#kid = record.kid;
      return;
    }
    if (this.#kid !== undefined && record.kid !== this.#kid) {
      this.#problem(
        'key-change',
        location,
        record.seq,
        `record ${record.seq} (${describe(location)}) changes the signing key without a key.rotated record`,
      );
    }
    this.#kid = record.kid;
  }

  #checkOpened(record: AuditRecord, location: AuditLocation): void {
    if (record.type !== 'log.opened') return;
    const ahead = record.data.headAhead;
    if (ahead === undefined || ahead === null) return;
    this.#problem(
      'truncated',
      location,
      record.seq,
      `record ${record.seq} (${describe(location)}): at start the gateway found the log shorter than its signed head; records were cut before it`,
    );
  }

  #checkHead(): AuditCheckResult['head'] {
    const head = this.#options.head;
    if (head === undefined) return 'absent';
    if (head === 'missing') {
      this.#problem(
        'head',
        { file: 'audit-head.json' },
        undefined,
        'no signed head (audit-head.json): the end of the log cannot be checked',
      );
      return 'absent';
    }
    const { location } = head;
    const check = this.#options.verify(head.head.kid, headSigningInput(head.head), head.head.sig);
    if (check !== 'ok') {
      this.#problem('head', location, undefined, `${describe(location)} fails its signature`);
      return 'bad';
    }
    const last = this.#highest;
    if (last === undefined || last < head.head.seq) {
      const from = last === undefined ? 0 : last + 1;
      this.#problem(
        'truncated',
        location,
        from,
        `${range(from, head.head.seq)} missing at the end (the signed head names record ${head.head.seq})`,
      );
      return 'ok';
    }
    if (this.#headHashSeen !== undefined && this.#headHashSeen !== head.head.hash) {
      this.#problem(
        'head',
        location,
        head.head.seq,
        `record ${head.head.seq} differs from the one the signed head names`,
      );
      return 'bad';
    }
    return 'ok';
  }

  #problem(kind: AuditProblemKind, location: AuditLocation, seq: number | undefined, message: string): void {
    this.#problems.push({ kind, ...location, ...(seq === undefined ? {} : { seq }), message });
  }
}

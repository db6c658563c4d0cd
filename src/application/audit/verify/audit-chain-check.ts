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
  type AuditRecord,
  GENESIS_HASH,
  recordText,
  signingInput,
} from '../../../domain/audit/audit-record.js';
import {
  type AuditLocation,
  type AuditProblem,
  bySequence,
  describeLocation,
  describeRange,
  type ReportProblem,
} from './audit-problems.js';
import { checkHead, type HeadInput } from './head-check.js';
import { KeyContinuity } from './key-continuity.js';
import type { HashText, VerifySignature } from './verify-ports.js';

export interface AuditChainCheckOptions {
  readonly hash: HashText;
  readonly verify: VerifySignature;
  /** The log must start at record 0 (a whole log rather than some of its files). */
  readonly requireGenesis: boolean;
  /** The signed head, when one was found; `missing` when it was required and not found. */
  readonly head?: HeadInput;
}

/** One line of a file, as the reader found it. */
export type AuditLine =
  | { readonly kind: 'record'; readonly record: AuditRecord; readonly terminated: boolean }
  | { readonly kind: 'unreadable'; readonly terminated: boolean }
  /** Parses as a record, but is not byte for byte its canonical text (a duplicate key, spaces, reordering). */
  | { readonly kind: 'non-canonical'; readonly terminated: boolean };

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
  #firstSeq: number | undefined;
  #firstAt: string | undefined;
  #lastAt: string | undefined;
  #headHashSeen: string | undefined;
  readonly #report: ReportProblem = (kind, location, seq, message) => {
    this.#problems.push({ kind, ...location, ...(seq === undefined ? {} : { seq }), message });
  };
  readonly #keyContinuity = new KeyContinuity(this.#report, (kid, input, signature, at) =>
    this.#options.verify(kid, input, signature, at),
  );

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
      this.#report(
        'truncated',
        location,
        this.#expected,
        `${describeLocation(location)} is an incomplete last line`,
      );
      if (line.kind !== 'record') return false;
    }
    if (line.kind !== 'record') {
      this.#report(
        'edited',
        location,
        this.#expected,
        line.kind === 'unreadable'
          ? `${describeLocation(location)} is not a readable record`
          : `${describeLocation(location)} is not byte for byte the canonical text of the record it holds`,
      );
      this.#untrusted(undefined);
      return false;
    }
    return this.#record(line.record, location);
  }

  finish(): AuditCheckResult {
    for (const gap of this.#gaps) {
      if (gap.filled) {
        this.#report(
          'reordered',
          gap.location,
          gap.seq,
          `record ${gap.seq} (${describeLocation(gap.location)}) comes before ${describeRange(gap.from, gap.to)}`,
        );
      } else {
        this.#report(
          'deleted',
          gap.location,
          gap.from,
          `${describeRange(gap.from, gap.to)} missing before ${describeLocation(gap.location)}`,
        );
      }
    }
    const headState = checkHead(
      {
        head: this.#options.head,
        verify: this.#options.verify,
        lastSeq: this.#highest,
        namedHash: this.#headHashSeen,
      },
      this.#report,
    );
    const problems = bySequence(this.#problems);
    return {
      ok: problems.length === 0,
      records: this.#records,
      ...(this.#firstSeq === undefined ? {} : { firstSeq: this.#firstSeq }),
      ...(this.#highest === undefined ? {} : { lastSeq: this.#highest }),
      ...(this.#firstAt === undefined ? {} : { firstAt: this.#firstAt }),
      ...(this.#lastAt === undefined ? {} : { lastAt: this.#lastAt }),
      keys: [...this.#keys],
      head: headState,
      problems,
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

    const signature = this.#options.verify(record.kid, signingInput(record), record.sig, record.at);
    if (signature !== 'ok') {
      if (signature === 'unknown-key' || signature === 'outside-window') {
        this.#report(
          'unknown-key',
          location,
          record.seq,
          signature === 'unknown-key'
            ? `record ${record.seq} (${describeLocation(location)}) is signed by a key not given`
            : `record ${record.seq} (${describeLocation(location)}) is signed by a key outside its pinned validity window`,
        );
      } else {
        this.#report(
          'edited',
          location,
          record.seq,
          `record ${record.seq} (${describeLocation(location)}) fails its signature`,
        );
      }
      this.#untrusted(hash);
      return false;
    }
    this.#keys.add(record.kid);
    this.#keyContinuity.check(record, location);
    this.#checkOpened(record, location);

    const expected = this.#expected;
    if (expected === undefined || record.seq === expected) {
      if (expected !== undefined && this.#lastTrusted && record.prev !== this.#lastHash) {
        this.#report(
          'chain',
          location,
          record.seq,
          `record ${record.seq} (${describeLocation(location)}) does not link to the record before it`,
        );
      }
      if (
        expected === undefined &&
        this.#options.requireGenesis === false &&
        record.seq === 0 &&
        record.prev !== GENESIS_HASH
      ) {
        this.#report('chain', location, 0, `record 0 (${describeLocation(location)}) does not start a chain`);
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
      this.#report(
        'reordered',
        location,
        record.seq,
        `record ${record.seq} (${describeLocation(location)}) appears again or out of order`,
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

  #checkOpened(record: AuditRecord, location: AuditLocation): void {
    if (record.type !== 'log.opened') return;
    const ahead = record.data.headAhead;
    if (ahead === undefined || ahead === null) return;
    this.#report(
      'truncated',
      location,
      record.seq,
      `record ${record.seq} (${describeLocation(location)}): at start the gateway found the log shorter than its signed head; records were cut before it`,
    );
  }
}

/**
 * Finds card numbers in bytes (logs, pcaps, any file), streaming: feed chunks, collect findings.
 *
 * A candidate is a run of 13–19 digits, contiguous or in groups joined by one space or one dash
 * (`4242 4242 4242 4242`, `5555-5555-5555-4444`), that passes the Luhn check and, unless
 * `anyPrefix`, starts with a card brand's IIN range and has one of that brand's lengths. Left out,
 * to keep false positives down where logs are full of numbers:
 * - digits touching a letter (hex hashes, UUIDs, base64, `ID123…`): such a group never counts;
 * - a chain joined by a dash to a hex word (`65123456-7890-4123-a456-…`, a UUID whose first groups
 *   happen to be decimal): nothing in that chain counts. A word with a letter outside a–f
 *   (`card-4242…`) does not hide a number;
 * - a run of 20 or more contiguous digits, and every part of it;
 * - parts of a group: a 17-digit group is one 17-digit candidate, never a 16-digit one inside it;
 * - groups of 7 or more digits joined to others (an SDP `o=- 123456789 1234567890` line): a card in
 *   groups is printed 4-4-4-4 or 4-6-5; such a group counts only on its own.
 * Inside a longer chain of groups every window of whole groups is tried (a PAN followed by a CVV).
 *
 * A finding holds the masked number (stars and the last four) and where it is; the digits themselves
 * are dropped as soon as the chain is judged.
 */

import { CARD_LENGTHS, type CardBrand, detectBrand } from '../card/card-brand.js';
import { isLuhnValid } from '../card/luhn.js';

export interface PanFinding {
  /** Byte offset of the first digit. */
  readonly offset: number;
  /** 1-based line (counting `\n`) and byte column of the first digit. */
  readonly line: number;
  readonly column: number;
  readonly length: number;
  /** `*` for every digit but the last four. */
  readonly masked: string;
  readonly brand?: CardBrand;
}

export interface PanFinderOptions {
  /** Report every Luhn-valid 13–19 digit candidate, whatever its prefix and length. */
  readonly anyPrefix?: boolean;
}

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;
/** A group longer than this is a number of its own, never part of a card number in groups. */
const MAX_GROUP = 6;
/** A contiguous run this long is not a card number, nor is any part of it. */
const LONG_RUN = 20;
/**
 * Lengths the scan still finds that the brand table (card-brand-data.ts, from credit-card-type) does
 * not take: numbers of these lengths were issued (13-digit Visa) or taken by this gateway's table
 * before 2026-12-03, so they may be in logs. The scan looks for leaks: it must not narrow when the
 * capture does.
 */
const ALSO_SCANNED: Partial<Record<CardBrand, readonly number[]>> = {
  visa: [13],
  discover: [17, 18],
  'diners-club': [15, 17, 18],
};

const ZERO = 0x30;
const NINE = 0x39;
const SPACE = 0x20;
const DASH = 0x2d;
const NEWLINE = 0x0a;

interface Group {
  readonly digits: number[];
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** A letter touches it, or it is 20+ digits long: it never counts. */
  tainted: boolean;
}

function isLetter(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

function isHexLetter(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

/** What a dash followed: a hex word with a letter (`e89b`), digits only, or anything else. */
type DashAfter = 'hex-word' | 'digits' | 'other';

export class PanFinder {
  readonly #anyPrefix: boolean;
  readonly #findings: PanFinding[] = [];
  #offset = 0;
  #line = 1;
  #lineStart = 0;
  /** The groups of the chain being read; the last is open while digits arrive. */
  #chain: Group[] = [];
  #inGroup = false;
  #previousLetter = false;
  /** The word (run of letters and digits) being read, or the last one: hex only, with a letter. */
  #wordHex = true;
  #wordHasLetter = false;
  #inWord = false;
  /** Set while the previous byte was a dash: what came before it. */
  #dashAfter: DashAfter | undefined;
  /** The chain is joined by a dash to a hex word (a UUID, a hex id): none of it counts. */
  #chainInHexToken = false;

  constructor(options: PanFinderOptions = {}) {
    this.#anyPrefix = options.anyPrefix ?? false;
  }

  /** Reads the next bytes of the input. */
  push(bytes: Uint8Array): void {
    for (const byte of bytes) {
      this.#byte(byte);
      this.#offset += 1;
      if (byte === NEWLINE) {
        this.#line += 1;
        this.#lineStart = this.#offset;
      }
    }
  }

  /** Ends the input; returns every finding (in order) and forgets them. */
  end(): PanFinding[] {
    this.#closeGroup(false);
    this.#judgeChain();
    return this.#findings.splice(0);
  }

  #byte(byte: number): void {
    const digit = byte >= ZERO && byte <= NINE;
    const letter = isLetter(byte);
    this.#noteHexToken(byte, digit, letter);
    if (digit) {
      if (this.#inGroup) {
        const group = this.#chain[this.#chain.length - 1];
        if (group !== undefined) {
          if (group.digits.length < LONG_RUN) group.digits.push(byte - ZERO);
          if (group.digits.length >= LONG_RUN) group.tainted = true;
        }
      } else {
        this.#chain.push({
          digits: [byte - ZERO],
          offset: this.#offset,
          line: this.#line,
          column: this.#offset - this.#lineStart + 1,
          tainted: this.#previousLetter,
        });
        this.#inGroup = true;
      }
      this.#previousLetter = false;
      return;
    }
    if ((byte === SPACE || byte === DASH) && this.#inGroup) {
      this.#closeGroup(false);
    } else {
      this.#closeGroup(letter);
      this.#judgeChain();
    }
    this.#previousLetter = letter;
  }

  /** Tracks words and dashes to tell a dash-joined hex token (a UUID) from a card number. */
  #noteHexToken(byte: number, digit: boolean, letter: boolean): void {
    const dashAfter = this.#dashAfter;
    this.#dashAfter = undefined;
    if (dashAfter === 'hex-word' && digit) this.#chainInHexToken = true;
    if (dashAfter === 'digits' && isHexLetter(byte)) this.#chainInHexToken = true;
    if (digit || letter) {
      if (!this.#inWord) {
        this.#inWord = true;
        this.#wordHex = true;
        this.#wordHasLetter = false;
      }
      if (letter) {
        this.#wordHasLetter = true;
        if (!isHexLetter(byte)) this.#wordHex = false;
      }
      return;
    }
    if (byte === DASH && this.#inWord) {
      if (!this.#wordHasLetter) this.#dashAfter = 'digits';
      else this.#dashAfter = this.#wordHex ? 'hex-word' : 'other';
    }
    this.#inWord = false;
  }

  #closeGroup(letterAfter: boolean): void {
    if (!this.#inGroup) return;
    const group = this.#chain[this.#chain.length - 1];
    if (group !== undefined && letterAfter) group.tainted = true;
    this.#inGroup = false;
  }

  /** Judges the finished chain: every window of consecutive clean groups of 13–19 digits. */
  #judgeChain(): void {
    const chain = this.#chain;
    this.#chain = [];
    if (this.#chainInHexToken) {
      this.#chainInHexToken = false;
      for (const group of chain) group.digits.fill(0);
      return;
    }
    let start = 0;
    while (start < chain.length) {
      const found = this.#longestFrom(chain, start);
      start = found === undefined ? start + 1 : found + 1;
    }
  }

  /** Looks for the longest card number starting at group `start`; returns the index of its last group. */
  #longestFrom(chain: readonly Group[], start: number): number | undefined {
    const digits: number[] = [];
    let best: { end: number; length: number } | undefined;
    for (let end = start; end < chain.length; end += 1) {
      const group = chain[end];
      if (group === undefined || group.tainted) break;
      // cards are printed in groups of 3 to 6 (4-4-4-4, 4-6-5); a longer group joins no other
      if (end > start && (group.digits.length > MAX_GROUP || (chain[start]?.digits.length ?? 0) > MAX_GROUP))
        break;
      digits.push(...group.digits);
      if (digits.length > MAX_DIGITS) break;
      if (digits.length >= MIN_DIGITS && this.#isCardNumber(digits)) best = { end, length: digits.length };
    }
    const first = chain[start];
    if (best === undefined || first === undefined) {
      digits.fill(0);
      return undefined;
    }
    const last4 = digits.slice(best.length - 4, best.length).join('');
    const detection = detectBrand(digits);
    this.#findings.push({
      offset: first.offset,
      line: first.line,
      column: first.column,
      length: best.length,
      masked: '*'.repeat(best.length - 4) + last4,
      ...(detection.kind === 'decided' ? { brand: detection.brand } : {}),
    });
    digits.fill(0);
    return best.end;
  }

  #isCardNumber(digits: readonly number[]): boolean {
    if (!isLuhnValid(digits)) return false;
    if (this.#anyPrefix) return true;
    const detection = detectBrand(digits);
    if (detection.kind !== 'decided') return false;
    const { brand } = detection;
    return CARD_LENGTHS[brand].includes(digits.length) || (ALSO_SCANNED[brand] ?? []).includes(digits.length);
  }
}

/**
 * Scans log text for keyed digits: each keyed sequence as typed, its digits alone when there are
 * at least 10 of them, and any run of 13 or more digits (a card number's shape).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';

export interface LogSource {
  readonly name: string;
  readonly text: string;
}

/** Where a log file ends now, so a test can later scan only what was written during it. */
export function logEnd(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

/** A log file's text from byte `from` on; a missing file is an error (a scan of nothing would pass). */
export function logFile(name: string, path: string, from = 0): LogSource {
  if (!existsSync(path)) throw new Error(`log ${path} does not exist`);
  return { name, text: readFileSync(path).subarray(from).toString('utf8') };
}

const CARD_SHAPED = /\d{13,}/g;
/** The token around a digit run: letters and digits. */
const TOKEN_CHAR = /[0-9A-Za-z]/;
/** Hex ids and hashes (the gateway's `CA` + 32 hex call ids): long enough to hold 13 decimal digits by chance. */
const HEX_ID = /^(CA|PK)?[0-9a-f]{24,}$/;

function tokenAround(line: string, start: number, end: number): string {
  let from = start;
  let to = end;
  while (from > 0 && TOKEN_CHAR.test(line[from - 1] ?? '')) from -= 1;
  while (to < line.length && TOKEN_CHAR.test(line[to] ?? '')) to += 1;
  return line.slice(from, to);
}

/**
 * Every finding as `"<log>: <what> (line n)"`; empty when the logs are clean. A digit run inside a
 * hex id with letters in it is not a finding (1 call id in 60 has 13 decimal digits in a row).
 */
export function findKeyedDigits(sources: readonly LogSource[], sequences: readonly string[]): string[] {
  const needles = new Set<string>();
  for (const sequence of sequences) {
    if (sequence.length >= 4) needles.add(sequence);
    const digitsOnly = sequence.replace(/\D/g, '');
    if (digitsOnly.length >= 10) needles.add(digitsOnly);
  }
  const findings: string[] = [];
  for (const source of sources) {
    source.text.split('\n').forEach((line, index) => {
      for (const needle of needles) {
        if (line.includes(needle))
          findings.push(`${source.name}: keyed sequence ${needle} (line ${index + 1})`);
      }
      for (const match of line.matchAll(CARD_SHAPED)) {
        const token = tokenAround(line, match.index, match.index + match[0].length);
        if (HEX_ID.test(token) && /[a-f]/.test(token)) continue;
        findings.push(`${source.name}: ${match[0].length}-digit run (line ${index + 1})`);
      }
    });
  }
  return findings;
}

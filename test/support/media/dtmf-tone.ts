/**
 * DTMF tone generation (ITU-T Q.23 frequencies) as 8 kHz 16-bit PCM.
 *
 * Level convention: `levelDbfs` is the level of EACH of the two sine components, so a
 * digit at -20 dBFS is a 697 Hz sine of peak 3277 plus a 1209 Hz sine of peak 3277
 * (combined peak up to 6553, combined RMS 3 dB above either tone). Levels above about
 * -6.02 dBFS per tone would clip and are rejected.
 */
import type { KeypadKey } from '../../../src/domain/capture/keypad.js';
import { concatPcm, SAMPLE_RATE_HZ, silence, sines } from './signal.js';

export const DTMF_LOW_HZ = [697, 770, 852, 941] as const;
export const DTMF_HIGH_HZ = [1209, 1336, 1477, 1633] as const;
/** The eight DTMF frequencies, low group first. */
export const DTMF_FREQUENCIES_HZ = [...DTMF_LOW_HZ, ...DTMF_HIGH_HZ] as const;

/** Keypad layout: row = low-group index, column = high-group index. */
const KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;

/** A DTMF key; the same type the gateway's domain uses for keypad keys. */
export type DtmfDigit = KeypadKey;

/** All 16 keys, in keypad order (row by row). */
export const DTMF_DIGITS: readonly DtmfDigit[] = [
  '1',
  '2',
  '3',
  'A',
  '4',
  '5',
  '6',
  'B',
  '7',
  '8',
  '9',
  'C',
  '*',
  '0',
  '#',
  'D',
];

export function isDtmfDigit(value: string): value is DtmfDigit {
  return value.length === 1 && (DTMF_DIGITS as readonly string[]).includes(value);
}

export interface DtmfPair {
  lowHz: number;
  highHz: number;
}

export function dtmfFrequencies(digit: DtmfDigit): DtmfPair {
  for (let row = 0; row < KEYPAD.length; row += 1) {
    const column = KEYPAD[row]?.indexOf(digit) ?? -1;
    if (column >= 0) return { lowHz: DTMF_LOW_HZ[row] ?? 0, highHz: DTMF_HIGH_HZ[column] ?? 0 };
  }
  throw new RangeError('digit is not a DTMF key');
}

/** The digit keyed by a low-group and a high-group index (0-3 each). */
export function dtmfDigitAt(lowIndex: number, highIndex: number): DtmfDigit {
  const digit = KEYPAD[lowIndex]?.[highIndex];
  if (digit === undefined || !isDtmfDigit(digit)) throw new RangeError('DTMF group index out of range');
  return digit;
}

/** Splits a digit string ("4242#") into DTMF digits; lower-case a-d are accepted. */
export function parseDtmfDigits(digits: string): DtmfDigit[] {
  return [...digits.toUpperCase()].map((c) => {
    if (!isDtmfDigit(c)) throw new RangeError(`"${c}" is not a DTMF digit`);
    return c;
  });
}

export interface DtmfToneOptions {
  /** Level of EACH of the two tones, dBFS. */
  levelDbfs: number;
  durationMs: number;
  sampleRateHz?: number;
}

export function dtmfTone(digit: DtmfDigit, options: DtmfToneOptions): Int16Array {
  const { lowHz, highHz } = dtmfFrequencies(digit);
  return sines({ ...options, frequenciesHz: [lowHz, highHz] });
}

export interface DtmfSequenceOptions {
  /** Level of EACH of the two tones, dBFS. */
  levelDbfs: number;
  toneMs: number;
  /** Silence between two digits. */
  gapMs: number;
  /** Per gap, the silence before digit n+1 (default `gapMs`). */
  gapsMs?: readonly number[];
  /** Silence before the first digit (default 0). */
  leadInMs?: number;
  /** Silence after the last digit (default 0). */
  tailMs?: number;
  sampleRateHz?: number;
}

/** Where one digit sits in a generated sequence. */
export interface DtmfSegment {
  digit: DtmfDigit;
  startMs: number;
  endMs: number;
}

export interface DtmfSequence {
  pcm: Int16Array;
  segments: DtmfSegment[];
  durationMs: number;
}

/** Builds lead-in, then digit/gap/digit…, then tail, as one PCM buffer. */
export function dtmfSequence(digits: string, options: DtmfSequenceOptions): DtmfSequence {
  const { levelDbfs, toneMs, gapMs, leadInMs = 0, tailMs = 0, sampleRateHz = SAMPLE_RATE_HZ } = options;
  const gapBefore = (index: number) => options.gapsMs?.[index - 1] ?? gapMs;
  const parts: Int16Array[] = [silence(leadInMs, sampleRateHz)];
  const segments: DtmfSegment[] = [];
  let atMs = leadInMs;
  parseDtmfDigits(digits).forEach((digit, index) => {
    if (index > 0) {
      parts.push(silence(gapBefore(index), sampleRateHz));
      atMs += gapBefore(index);
    }
    parts.push(dtmfTone(digit, { levelDbfs, durationMs: toneMs, sampleRateHz }));
    segments.push({ digit, startMs: atMs, endMs: atMs + toneMs });
    atMs += toneMs;
  });
  parts.push(silence(tailMs, sampleRateHz));
  return { pcm: concatPcm(parts), segments, durationMs: atMs + tailMs };
}

/**
 * Block-wise Goertzel DTMF receiver over 8 kHz 16-bit PCM.
 *
 * The signal is cut into consecutive blocks (default 80 samples = 10 ms; a trailing
 * partial block is ignored). In every block the level of each of the 8 DTMF frequencies
 * is measured with a Goertzel filter. A block is a DTMF "hit" for a digit when all of
 * these hold for the strongest low-group and strongest high-group frequency:
 *
 * 1. both are at least `minToneLevelDbfs` (per tone, peak-referenced dBFS);
 * 2. twist: the high tone is at most `maxNormalTwistDb` below the low tone and at most
 *    `maxReverseTwistDb` above it;
 * 3. relative peak: each exceeds every other frequency of its group by `minRelativePeakDb`;
 * 4. tone-to-total: the two tones carry at least `minToneToTotalRatio` of the block's energy
 *    (rejects noise, speech and chords that merely leak into the DTMF bins).
 *
 * Consecutive hit blocks for the same digit form one detected digit; `toneMs` is the total
 * duration of hit blocks ("milliseconds of detectable DTMF"). With 10 ms blocks a tone of
 * 20 ms always covers at least one whole block, so it is detected whatever its alignment;
 * a tone's measured duration is within ±1 block of its real one.
 *
 * The per-frequency levels are reported for every block and as a per-frequency maximum.
 * They are meaningful as "DTMF energy" only on quiet or masked audio: any loud sound
 * (speech, a 1 kHz test tone) leaks into the nearby DTMF bins of a 10 ms block.
 *
 * Frequency tolerance (measured on pairs of sines at -20 dBFS): every pair within ±1.5 % of
 * a DTMF pair is accepted, none at ±3.5 % or more (Q.24's accept/reject limits); in
 * between, some are.
 */
import { DTMF_HIGH_HZ, DTMF_LOW_HZ, type DtmfDigit, dtmfDigitAt } from './dtmf-tone.js';
import { goertzelLevelDbfs } from './goertzel.js';
import { rmsDbfs, SAMPLE_RATE_HZ, SILENCE_DBFS, samplesToMs } from './signal.js';

/** Block length: 80 samples = 10 ms at 8 kHz. */
export const DEFAULT_BLOCK_SAMPLES = 80;
/** Each of the two tones must be at least this loud, dBFS per tone. Measured floor: see README. */
export const MIN_TONE_LEVEL_DBFS = -60;
/** The high-group tone may be this much weaker than the low-group tone, dB. */
export const MAX_NORMAL_TWIST_DB = 8;
/** The high-group tone may be this much louder than the low-group tone, dB. */
export const MAX_REVERSE_TWIST_DB = 6;
/** Each tone must exceed every other frequency of its group by this much, dB. */
export const MIN_RELATIVE_PEAK_DB = 6;
/** Share of the block's energy the two tones must carry (0-1). Clean tones measure ≥ 0.94. */
export const MIN_TONE_TO_TOTAL_RATIO = 0.75;
/** Hit blocks in a row needed to report a digit (1 = 10 ms, so 20 ms tones are reported). */
export const MIN_DIGIT_BLOCKS = 1;

export interface DtmfDetectorOptions {
  sampleRateHz?: number;
  blockSamples?: number;
  minToneLevelDbfs?: number;
  maxNormalTwistDb?: number;
  maxReverseTwistDb?: number;
  minRelativePeakDb?: number;
  minToneToTotalRatio?: number;
  minDigitBlocks?: number;
}

export interface DtmfBlock {
  startMs: number;
  /** Levels of 697, 770, 852, 941 Hz, dBFS. */
  lowLevelsDbfs: number[];
  /** Levels of 1209, 1336, 1477, 1633 Hz, dBFS. */
  highLevelsDbfs: number[];
  /** RMS level of the whole block, dBFS (sine-referenced). */
  totalLevelDbfs: number;
  /** The digit this block is a hit for, or null. */
  digit: DtmfDigit | null;
}

export interface DetectedDtmfDigit {
  digit: DtmfDigit;
  startMs: number;
  durationMs: number;
  /** Loudest tone level seen during the digit, dBFS. */
  peakLevelDbfs: number;
}

export interface DtmfFrequencyLevel {
  frequencyHz: number;
  maxLevelDbfs: number;
}

export interface DtmfAnalysis {
  blocks: DtmfBlock[];
  digits: DetectedDtmfDigit[];
  /** The detected digits as a string, e.g. "4242#". */
  digitString: string;
  /** Milliseconds of detectable DTMF: total duration of hit blocks. */
  toneMs: number;
  /** Per DTMF frequency, the highest level in any block, dBFS (low group first). */
  frequencyLevels: DtmfFrequencyLevel[];
  /** The highest level at any of the 8 frequencies in any block, dBFS. */
  maxDtmfLevelDbfs: number;
  /** Duration analysed (whole blocks), ms. */
  analysedMs: number;
}

interface ResolvedOptions {
  sampleRateHz: number;
  blockSamples: number;
  minToneLevelDbfs: number;
  maxNormalTwistDb: number;
  maxReverseTwistDb: number;
  minRelativePeakDb: number;
  minToneToTotalRatio: number;
  minDigitBlocks: number;
}

function resolve(options: DtmfDetectorOptions): ResolvedOptions {
  return {
    sampleRateHz: options.sampleRateHz ?? SAMPLE_RATE_HZ,
    blockSamples: options.blockSamples ?? DEFAULT_BLOCK_SAMPLES,
    minToneLevelDbfs: options.minToneLevelDbfs ?? MIN_TONE_LEVEL_DBFS,
    maxNormalTwistDb: options.maxNormalTwistDb ?? MAX_NORMAL_TWIST_DB,
    maxReverseTwistDb: options.maxReverseTwistDb ?? MAX_REVERSE_TWIST_DB,
    minRelativePeakDb: options.minRelativePeakDb ?? MIN_RELATIVE_PEAK_DB,
    minToneToTotalRatio: options.minToneToTotalRatio ?? MIN_TONE_TO_TOTAL_RATIO,
    minDigitBlocks: options.minDigitBlocks ?? MIN_DIGIT_BLOCKS,
  };
}

interface Peak {
  index: number;
  levelDbfs: number;
  /** Margin over the group's second-strongest frequency, dB. */
  marginDb: number;
}

function peakOf(levels: readonly number[]): Peak {
  let index = 0;
  levels.forEach((level, i) => {
    if (level > (levels[index] ?? SILENCE_DBFS)) index = i;
  });
  const levelDbfs = levels[index] ?? SILENCE_DBFS;
  const others = levels.filter((_, i) => i !== index);
  return { index, levelDbfs, marginDb: levelDbfs - Math.max(...others) };
}

function dbToPower(levelDbfs: number): number {
  return 10 ** (levelDbfs / 10);
}

function classify(
  low: readonly number[],
  high: readonly number[],
  totalDbfs: number,
  o: ResolvedOptions,
): DtmfDigit | null {
  const lowPeak = peakOf(low);
  const highPeak = peakOf(high);
  if (lowPeak.levelDbfs < o.minToneLevelDbfs || highPeak.levelDbfs < o.minToneLevelDbfs) return null;
  const twistDb = lowPeak.levelDbfs - highPeak.levelDbfs;
  if (twistDb > o.maxNormalTwistDb || -twistDb > o.maxReverseTwistDb) return null;
  if (lowPeak.marginDb < o.minRelativePeakDb || highPeak.marginDb < o.minRelativePeakDb) return null;
  const toneShare = (dbToPower(lowPeak.levelDbfs) + dbToPower(highPeak.levelDbfs)) / dbToPower(totalDbfs);
  if (toneShare < o.minToneToTotalRatio) return null;
  return dtmfDigitAt(lowPeak.index, highPeak.index);
}

/** Runs the DTMF receiver over a whole PCM signal. */
export function detectDtmf(pcm: ArrayLike<number>, options: DtmfDetectorOptions = {}): DtmfAnalysis {
  const o = resolve(options);
  const blockMs = samplesToMs(o.blockSamples, o.sampleRateHz);
  const blocks: DtmfBlock[] = [];
  for (let start = 0; start + o.blockSamples <= pcm.length; start += o.blockSamples) {
    const block = { start, length: o.blockSamples, sampleRateHz: o.sampleRateHz };
    const level = (f: number) => goertzelLevelDbfs(pcm, f, block);
    const lowLevelsDbfs = DTMF_LOW_HZ.map(level);
    const highLevelsDbfs = DTMF_HIGH_HZ.map(level);
    const totalLevelDbfs = rmsDbfs(pcm, start, o.blockSamples);
    const digit = classify(lowLevelsDbfs, highLevelsDbfs, totalLevelDbfs, o);
    blocks.push({
      startMs: samplesToMs(start, o.sampleRateHz),
      lowLevelsDbfs,
      highLevelsDbfs,
      totalLevelDbfs,
      digit,
    });
  }
  const digits = groupDigits(blocks, blockMs, o.minDigitBlocks);
  const frequencyLevels = [...DTMF_LOW_HZ, ...DTMF_HIGH_HZ].map((frequencyHz, i) => ({
    frequencyHz,
    maxLevelDbfs: blocks.reduce(
      (max, b) => Math.max(max, [...b.lowLevelsDbfs, ...b.highLevelsDbfs][i] ?? SILENCE_DBFS),
      SILENCE_DBFS,
    ),
  }));
  return {
    blocks,
    digits,
    digitString: digits.map((d) => d.digit).join(''),
    toneMs: blocks.filter((b) => b.digit !== null).length * blockMs,
    frequencyLevels,
    maxDtmfLevelDbfs: Math.max(SILENCE_DBFS, ...frequencyLevels.map((f) => f.maxLevelDbfs)),
    analysedMs: blocks.length * blockMs,
  };
}

function groupDigits(
  blocks: readonly DtmfBlock[],
  blockMs: number,
  minDigitBlocks: number,
): DetectedDtmfDigit[] {
  const digits: DetectedDtmfDigit[] = [];
  let i = 0;
  while (i < blocks.length) {
    const first = blocks[i];
    const digit = first?.digit ?? null;
    if (first === undefined || digit === null) {
      i += 1;
      continue;
    }
    let count = 0;
    let peakLevelDbfs = SILENCE_DBFS;
    for (let block = blocks[i]; block?.digit === digit; block = blocks[i]) {
      peakLevelDbfs = Math.max(peakLevelDbfs, ...block.lowLevelsDbfs, ...block.highLevelsDbfs);
      count += 1;
      i += 1;
    }
    if (count >= minDigitBlocks) {
      digits.push({ digit, startMs: first.startMs, durationMs: count * blockMs, peakLevelDbfs });
    }
  }
  return digits;
}

/**
 * Goertzel filter: the DFT of a block of samples at one arbitrary frequency.
 *
 * `goertzelAmplitude` scales |X(f)| as 2|X|/N, so a sine of peak A at exactly f over a
 * whole block reads ≈ A (off by the leakage of its negative-frequency image, a few per
 * cent for DTMF frequencies in 80-sample blocks). `goertzelLevelDbfs` gives that amplitude
 * in dBFS with the toolkit's convention (peak 32767 = 0 dBFS).
 */
import { amplitudeToDbfs, SAMPLE_RATE_HZ } from './signal.js';

/** Which samples to analyse: `[start, start + length)`, by default the whole signal. */
export interface GoertzelBlock {
  start?: number;
  length?: number;
  sampleRateHz?: number;
}

/** |X(f)|² of the block. */
export function goertzelPower(
  samples: ArrayLike<number>,
  frequencyHz: number,
  block: GoertzelBlock = {},
): number {
  const { start = 0, length = samples.length - start, sampleRateHz = SAMPLE_RATE_HZ } = block;
  const coefficient = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRateHz);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < start + length; i += 1) {
    const s0 = (samples[i] ?? 0) + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return Math.max(0, s1 * s1 + s2 * s2 - coefficient * s1 * s2);
}

/** Peak amplitude of the component at `frequencyHz` in the block (2|X|/N). */
export function goertzelAmplitude(
  samples: ArrayLike<number>,
  frequencyHz: number,
  block: GoertzelBlock = {},
): number {
  const length = block.length ?? samples.length - (block.start ?? 0);
  if (length <= 0) return 0;
  return (2 * Math.sqrt(goertzelPower(samples, frequencyHz, { ...block, length }))) / length;
}

/** Level of the component at `frequencyHz` in the block, dBFS. */
export function goertzelLevelDbfs(
  samples: ArrayLike<number>,
  frequencyHz: number,
  block: GoertzelBlock = {},
): number {
  return amplitudeToDbfs(goertzelAmplitude(samples, frequencyHz, block));
}

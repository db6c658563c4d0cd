/**
 * Signal helpers for 16-bit linear PCM at 8 kHz.
 *
 * Level convention (the one used by the whole toolkit): a sine at L dBFS has a peak
 * amplitude of 32767 × 10^(L/20), so a full-scale sine is 0 dBFS. For noise and mixed
 * signals `rmsDbfs` uses the same reference: 0 dBFS is the RMS of a full-scale sine
 * (32767/√2), so a sine measures the same in both.
 */

export const SAMPLE_RATE_HZ = 8000;
export const FULL_SCALE = 32767;
/** Levels at or below this are reported for digital silence instead of -Infinity. */
export const SILENCE_DBFS = -140;

export function dbfsToAmplitude(levelDbfs: number): number {
  return FULL_SCALE * 10 ** (levelDbfs / 20);
}

export function amplitudeToDbfs(amplitude: number): number {
  if (amplitude <= 0) return SILENCE_DBFS;
  return Math.max(SILENCE_DBFS, 20 * Math.log10(amplitude / FULL_SCALE));
}

export function msToSamples(ms: number, sampleRateHz = SAMPLE_RATE_HZ): number {
  return Math.round((ms * sampleRateHz) / 1000);
}

export function samplesToMs(samples: number, sampleRateHz = SAMPLE_RATE_HZ): number {
  return (samples * 1000) / sampleRateHz;
}

/** RMS level of `pcm[start, start+length)` in dBFS (sine-referenced, see module doc). */
export function rmsDbfs(pcm: ArrayLike<number>, start = 0, length = pcm.length - start): number {
  if (length <= 0) return SILENCE_DBFS;
  let sum = 0;
  for (let i = start; i < start + length; i += 1) {
    const v = pcm[i] ?? 0;
    sum += v * v;
  }
  return amplitudeToDbfs(Math.sqrt(sum / length) * Math.SQRT2);
}

/** Rounds to the nearest integer and saturates at the int16 range. */
export function clampInt16(value: number): number {
  return Math.min(32767, Math.max(-32768, Math.round(value)));
}

function toInt16Array(values: Float64Array): Int16Array {
  const out = new Int16Array(values.length);
  for (let i = 0; i < values.length; i += 1) out[i] = clampInt16(values[i] ?? 0);
  return out;
}

export interface SinesOptions {
  /** Frequencies of the components, Hz. */
  frequenciesHz: readonly number[];
  /** Level of EACH component, dBFS (peak amplitude 32767 × 10^(L/20)). */
  levelDbfs: number;
  durationMs: number;
  sampleRateHz?: number;
  /** Phase of every component at sample 0, radians (default 0). */
  phase?: number;
}

/**
 * Sum of sines, each at `levelDbfs`. Throws a RangeError when the summed peak could exceed
 * full scale, so callers never get silently clipped tones.
 */
export function sines(options: SinesOptions): Int16Array {
  const { frequenciesHz, levelDbfs, durationMs, sampleRateHz = SAMPLE_RATE_HZ, phase = 0 } = options;
  const amplitude = dbfsToAmplitude(levelDbfs);
  if (amplitude * frequenciesHz.length > FULL_SCALE + 0.5) {
    throw new RangeError(
      `levelDbfs ${levelDbfs} per component with ${frequenciesHz.length} components would clip`,
    );
  }
  const count = msToSamples(durationMs, sampleRateHz);
  const values = new Float64Array(count);
  for (const frequency of frequenciesHz) {
    const step = (2 * Math.PI * frequency) / sampleRateHz;
    for (let n = 0; n < count; n += 1) values[n] = (values[n] ?? 0) + amplitude * Math.sin(phase + step * n);
  }
  return toInt16Array(values);
}

export function silence(durationMs: number, sampleRateHz = SAMPLE_RATE_HZ): Int16Array {
  return new Int16Array(msToSamples(durationMs, sampleRateHz));
}

/** Deterministic PRNG (mulberry32), so noise-based tests are reproducible. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface WhiteNoiseOptions {
  /** RMS level, dBFS (sine-referenced). */
  levelDbfs: number;
  durationMs: number;
  seed?: number;
  sampleRateHz?: number;
}

/** Gaussian white noise at an RMS level (Box-Muller over a seeded PRNG). */
export function whiteNoise(options: WhiteNoiseOptions): Int16Array {
  const { levelDbfs, durationMs, seed = 1, sampleRateHz = SAMPLE_RATE_HZ } = options;
  const sigma = dbfsToAmplitude(levelDbfs) / Math.SQRT2;
  const random = mulberry32(seed);
  const count = msToSamples(durationMs, sampleRateHz);
  const values = new Float64Array(count);
  for (let n = 0; n < count; n += 1) {
    const u1 = Math.max(random(), Number.EPSILON);
    const u2 = random();
    values[n] = sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return toInt16Array(values);
}

export function concatPcm(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Sample-wise sum of two signals (the longer one sets the length), saturating at int16. */
export function mixPcm(a: Int16Array, b: Int16Array): Int16Array {
  const values = new Float64Array(Math.max(a.length, b.length));
  for (let i = 0; i < values.length; i += 1) values[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return toInt16Array(values);
}

/**
 * The bench's statistics: percentiles of latency samples and the median-with-spread of a figure
 * over several runs. Pure functions, no I/O (covered by test/unit/bench/stats.test.ts).
 */

/**
 * The p-th percentile (0–100) by the nearest-rank method: the smallest sample with at least p % of
 * the samples at or below it. `undefined` for no samples.
 */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (!(p >= 0 && p <= 100)) throw new RangeError('percentile: p must be within 0–100');
  const finite = samples.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return undefined;
  const sorted = [...finite].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** The median: the middle sample, or the mean of the two middle ones. `undefined` for no samples. */
export function median(samples: readonly number[]): number | undefined {
  const sorted = samples.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** A figure over several runs: its median and the spread (min–max). */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many runs had a value. */
  readonly runs: number;
}

/** Median and min–max of one figure over runs; runs without a value are left out. */
export function spread(values: readonly (number | undefined)[]): Spread | undefined {
  const present = values.filter((value): value is number => value !== undefined && Number.isFinite(value));
  const mid = median(present);
  if (mid === undefined) return undefined;
  return { median: mid, min: Math.min(...present), max: Math.max(...present), runs: present.length };
}

/** `12.3 (11.9–13.0)`: the median with its spread, `–` when there is no value. */
export function formatSpread(value: Spread | undefined, digits = 1): string {
  if (!value) return '–';
  const f = (n: number) => n.toFixed(digits);
  return value.min === value.max ? f(value.median) : `${f(value.median)} (${f(value.min)}–${f(value.max)})`;
}

import { describe, expect, it } from 'vitest';
import { formatSpread, median, percentile, spread } from '../../../scripts/bench/stats.js';

describe('bench statistics', () => {
  it.each([
    [[], 50, undefined],
    [[7], 50, 7],
    [[7], 99, 7],
    [[1, 2, 3, 4], 50, 2],
    [[4, 3, 2, 1], 75, 3],
    [[1, 2, 3, 4], 100, 4],
    [[1, 2, 3, 4], 0, 1],
    [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
    [Array.from({ length: 1000 }, (_, i) => 1000 - i), 99, 990],
    [[5, Number.NaN, 1], 50, 1],
  ])('percentile(%j, %d) = %s (nearest rank)', (samples, p, expected) => {
    expect(percentile(samples, p)).toBe(expected);
  });

  it('refuses a percentile outside 0–100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
  });

  it.each([
    [[], undefined],
    [[3], 3],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
  ])('median(%j) = %s', (samples, expected) => {
    expect(median(samples)).toBe(expected);
  });

  it('spread gives the median and min–max over the runs that had a value', () => {
    expect(spread([30, 10, undefined, 20])).toEqual({ median: 20, min: 10, max: 30, runs: 3 });
    expect(spread([undefined])).toBeUndefined();
  });

  it('formats a spread, collapsing it when all runs agree', () => {
    expect(formatSpread({ median: 2, min: 1, max: 3.25, runs: 3 })).toBe('2.0 (1.0–3.3)');
    expect(formatSpread({ median: 2, min: 2, max: 2, runs: 1 }, 0)).toBe('2');
    expect(formatSpread(undefined)).toBe('–');
  });
});

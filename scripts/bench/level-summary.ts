/**
 * One load level over several runs: each figure as the median and spread (min–max) of the runs,
 * and whether the level held (every run: all calls up, every payment succeeded, no leak).
 */
import type { LoadResult } from './load-run.js';
import { percentile, type Spread, spread } from './stats.js';

export interface LevelSummary {
  readonly calls: number;
  readonly masking: 'on' | 'off';
  readonly runs: number;
  readonly setUp: Spread | undefined;
  readonly succeeded: Spread | undefined;
  /** Sampled calls over all runs, and how many of them leaked. */
  readonly sampled: number;
  readonly leakyCalls: number;
  readonly leakDigitEvents: number;
  readonly leakToneMs: number;
  readonly quietSamples: number;
  readonly keyToScreenP50: Spread | undefined;
  readonly keyToScreenP99: Spread | undefined;
  readonly outcomeP50: Spread | undefined;
  readonly outcomeP99: Spread | undefined;
  readonly cpu: Record<string, Spread | undefined>;
  readonly gatewayPeakMib: Spread | undefined;
  readonly gatewayStartPeakMib: Spread | undefined;
  readonly inexactCalls: number;
  /** DTMF reports the kernel dropped at the gateway's socket, over all runs. */
  readonly dtmfDrops: number;
  /** Calls whose gateway accepted more or fewer than the keys keyed (a duplicate let through, a key lost). */
  readonly wrongKeyCountCalls: number;
  readonly held: boolean;
  readonly problems: string[];
}

export const CPU_GROUPS = ['rtpengine', 'kamailio', 'gateway', 'sipp', 'bench'] as const;

export function summariseLevel(results: readonly LoadResult[]): LevelSummary {
  const first = results[0];
  if (!first) throw new Error('summariseLevel: no runs');
  const sum = (pick: (result: LoadResult) => number) =>
    results.reduce((total, result) => total + pick(result), 0);
  const held = results.every(
    (result) =>
      result.setUp === result.calls &&
      result.succeeded === result.calls &&
      result.leakyCalls === 0 &&
      result.quietSamples === 0,
  );
  return {
    calls: first.calls,
    masking: first.masking,
    runs: results.length,
    setUp: spread(results.map((result) => result.setUp)),
    succeeded: spread(results.map((result) => result.succeeded)),
    sampled: sum((result) => result.sampled),
    leakyCalls: sum((result) => result.leakyCalls),
    leakDigitEvents: sum((result) => result.leakDigitEvents),
    leakToneMs: sum((result) => result.leakToneMs),
    quietSamples: sum((result) => result.quietSamples),
    keyToScreenP50: spread(results.map((result) => percentile(result.keyToScreenMs, 50))),
    keyToScreenP99: spread(results.map((result) => percentile(result.keyToScreenMs, 99))),
    outcomeP50: spread(results.map((result) => percentile(result.lastKeyToOutcomeMs, 50))),
    outcomeP99: spread(results.map((result) => percentile(result.lastKeyToOutcomeMs, 99))),
    cpu: Object.fromEntries(
      CPU_GROUPS.map((name) => [name, spread(results.map((result) => result.cpu[name]))]),
    ),
    gatewayPeakMib: spread(results.map((result) => result.gatewayPeakMib)),
    gatewayStartPeakMib: spread(results.map((result) => result.gatewayStartPeakMib)),
    inexactCalls: sum((result) => result.inexactCalls),
    dtmfDrops: sum((result) => result.dtmfDrops),
    wrongKeyCountCalls: sum((result) =>
      Object.entries(result.keysPerCall)
        .filter(([keys]) => Number(keys) !== result.keysKeyed)
        .reduce((total, [, calls]) => total + calls, 0),
    ),
    held,
    problems: results.flatMap((result) => result.problems).slice(0, 10),
  };
}

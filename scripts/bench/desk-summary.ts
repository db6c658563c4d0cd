/**
 * A level's customer packet → agent's desk figures (LoadResult.packetToDesk, agent-desks.ts) over its
 * runs, and the report's cell for them. Benches before 2026-12-03 have none: the cell is `–`. Pure.
 */
import type { LoadResult } from './load-types.js';
import { formatSpread, percentile, type Spread, spread } from './stats.js';

export interface DeskFigures {
  /** Per run the percentile over every paired digit of its desks; median and spread of the runs. */
  readonly packetToDeskP50: Spread | undefined;
  readonly packetToDeskP99: Spread | undefined;
  /** Digits measured, desks opened and desks paired one to one, over all runs (0 when none recorded). */
  readonly deskKeys: number;
  readonly desks: number;
  readonly desksPaired: number;
}

export function deskFigures(results: readonly LoadResult[]): DeskFigures {
  const recorded = results.flatMap((result) => (result.packetToDesk ? [result.packetToDesk] : []));
  return {
    packetToDeskP50: spread(recorded.map((desks) => percentile(desks.latenciesMs, 50))),
    packetToDeskP99: spread(recorded.map((desks) => percentile(desks.latenciesMs, 99))),
    deskKeys: recorded.reduce((total, desks) => total + desks.latenciesMs.length, 0),
    desks: recorded.reduce((total, desks) => total + desks.desks, 0),
    desksPaired: recorded.reduce((total, desks) => total + desks.paired, 0),
  };
}

/** `41.2 / 58.0 (92 keys, 4 of 5 desks)`; `–` for a bench that opened no desk. */
export function packetToDeskCell(level: DeskFigures): string {
  if (level.desks === 0) return '–';
  const ms = (value: Spread | undefined) => formatSpread(value, 1);
  return `${ms(level.packetToDeskP50)} / ${ms(level.packetToDeskP99)} (${level.deskKeys} keys, ${level.desksPaired} of ${level.desks} desks)`;
}

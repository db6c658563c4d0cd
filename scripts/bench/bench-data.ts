/**
 * The bench's data (what a bench writes to docs/benchmarks/*.json: every run's raw figures), several
 * benches' data as one, the levels' summaries made of it, and the command that measures a level again.
 */
import { MASKING_MODES, type MaskingMode } from './bench-ports.js';
import { type LevelSummary, summariseLevel } from './level-summary.js';
import type { LoadResult } from './load-types.js';
import type { MachineInfo } from './machine.js';

export interface BenchData {
  readonly version: 2;
  readonly date: string;
  /** The command as typed (it reproduces the whole bench). */
  readonly command: string;
  readonly machine: MachineInfo;
  /** The commit the stack and gateway ran from, and the files that differed from it then. */
  readonly source: { readonly commit: string; readonly uncommitted: readonly string[] };
  readonly settings: {
    readonly runs: number;
    readonly rate: number;
    readonly probes: number;
    readonly modes: readonly MaskingMode[];
    readonly levels: readonly number[];
    /** The stack's masking settings per mode, as stack.sh resolved them. */
    readonly stack: Readonly<Record<string, Readonly<Record<string, string>>>>;
    /** The customers' layouts, in the order calls take them. */
    readonly mix: readonly string[];
    readonly keysPerCall: number;
    /** Whether the gateway played the customer prompts (benches from 2026-12-03 on). */
    readonly prompts?: boolean;
    /** Busy-loop processes that ran beside every run (`--burners`; benches before 2026-12-03: none). */
    readonly burners?: number;
  };
  readonly results: readonly LoadResult[];
  /** Masked levels in the order they were run (the step-up). */
  readonly stepped: readonly number[];
  /** Levels the pass-through baselines ran at. */
  readonly baselineLevels: readonly number[];
  readonly stopReason: string;
}

/** One bench's data as read from its JSON (those written before `baselineLevels` had one `baselineLevel`). */
export function readBenchData(json: string): BenchData {
  const parsed = JSON.parse(json) as BenchData & { baselineLevel?: number };
  if (parsed.baselineLevels) return parsed;
  const { baselineLevel, ...rest } = parsed;
  return { ...rest, baselineLevels: baselineLevel === undefined ? [] : [baselineLevel] };
}

/**
 * Several benches as one (e.g. the step-up and a later run of the baselines at another level): the
 * runs together; the first one's machine, source and settings, every one's command and date.
 */
export function mergeBenchData(list: readonly BenchData[]): BenchData {
  const [first, ...rest] = list;
  if (!first) throw new Error('mergeBenchData: nothing to merge');
  if (rest.length === 0) return first;
  const unique = <T>(values: readonly T[]) => [...new Set(values)];
  return {
    ...first,
    date: unique(list.map((data) => data.date)).join(' and '),
    command: unique(list.map((data) => data.command)).join('` and `'),
    settings: {
      ...first.settings,
      modes: unique(list.flatMap((data) => data.settings.modes)),
      levels: unique(list.flatMap((data) => data.settings.levels)),
      stack: Object.assign({}, ...list.map((data) => data.settings.stack)),
    },
    results: list.flatMap((data) => data.results),
    stepped: unique(list.flatMap((data) => data.stepped)).sort((a, b) => a - b),
    baselineLevels: unique(list.flatMap((data) => data.baselineLevels)).sort((a, b) => a - b),
    stopReason: list
      .filter((data) => data.stepped.length > 0)
      .map((data) => data.stopReason)
      .join('; '),
  };
}

export interface BenchSummaries {
  /** Masked, one per level run. */
  readonly masked: readonly LevelSummary[];
  /** Per baseline level, every mode run there (masked too when it was run there). */
  readonly baselines: readonly (readonly LevelSummary[])[];
  readonly largestHeld: number | undefined;
}

export function summarise(data: BenchData): BenchSummaries {
  const of = (masking: MaskingMode, calls: number) =>
    data.results.filter((result) => result.masking === masking && result.calls === calls);
  const masked = data.stepped
    .filter((calls) => of('on', calls).length > 0)
    .map((calls) => summariseLevel(of('on', calls)));
  const baselines = data.baselineLevels.map((calls) =>
    MASKING_MODES.map((mode) => of(mode, calls))
      .filter((results) => results.length > 0)
      .map((results) => summariseLevel(results)),
  );
  return { masked, baselines, largestHeld: masked.filter((level) => level.held).at(-1)?.calls };
}

/** The command that measures this level again (as many runs as the data has, same rate and probes). */
export function reproduce(data: BenchData, masking: MaskingMode, calls: number): string {
  const s = data.settings;
  const runs = data.results.filter((result) => result.masking === masking && result.calls === calls).length;
  const burners = s.burners ? ` --burners ${s.burners}` : '';
  // benches before 2026-12-03 recorded no `prompts` (they played none; their commands predate the flag)
  const noPrompts = s.prompts === false ? ' --no-prompts' : '';
  return `./scripts/tonewall bench --modes ${masking} --levels ${calls} --runs ${runs} --rate ${s.rate} --probes ${s.probes}${burners}${noPrompts}`;
}

/**
 * docs/benchmarks.md's section on where the time goes: each rtpengine hop's threads while all calls
 * were up, and every process over the whole run (ramp, keys and hang-ups included) with its peak
 * memory. From the runs' raw figures (load-run.ts, run-cpu.ts); benches before 2026-12-03 did not
 * record them and print nothing here.
 */
import type { BenchData } from './bench-data.js';
import type { MaskingMode } from './bench-ports.js';
import type { LoadResult } from './load-types.js';
import { MODE_NAMES, markdownTable, pct } from './report-cells.js';
import { spread } from './stats.js';

const HOPS = ['rtpengine edge', 'rtpengine mask', 'rtpengine mute'] as const;
/** The processes that outlive a run (SIPp's have exited when the whole-run window closes). */
const PROCESSES = [...HOPS, 'kamailio', 'gateway'] as const;

/** The runs of each (calls, mode), in the order the bench ran them. */
function levels(
  results: readonly LoadResult[],
): Array<{ calls: number; masking: MaskingMode; runs: LoadResult[] }> {
  const found = new Map<string, { calls: number; masking: MaskingMode; runs: LoadResult[] }>();
  for (const result of results) {
    const key = `${result.calls}/${result.masking}`;
    const level = found.get(key) ?? { calls: result.calls, masking: result.masking, runs: [] };
    level.runs.push(result);
    found.set(key, level);
  }
  return [...found.values()];
}

export function threadsSection(data: BenchData): string {
  const recorded = levels(data.results).filter((level) => level.runs.some((run) => run.cpuThreads));
  if (recorded.length === 0) return '';
  const threadRows = recorded.flatMap((level) =>
    HOPS.flatMap((hop) => {
      const names = [...new Set(level.runs.flatMap((run) => Object.keys(run.cpuThreads?.[hop] ?? {})))]
        .filter((name) => level.runs.some((run) => (run.cpuThreads?.[hop]?.[name] ?? 0) >= 0.5))
        .sort();
      return names.map((name) => [
        String(level.calls),
        MODE_NAMES[level.masking],
        hop.replace('rtpengine ', ''),
        name,
        pct(spread(level.runs.map((run) => run.cpuThreads?.[hop]?.[name]))),
      ]);
    }),
  );
  const wholeRows = recorded.map((level) => [
    String(level.calls),
    MODE_NAMES[level.masking],
    pct(spread(level.runs.map((run) => run.cpuWholeRunS))),
    ...PROCESSES.map((name) => pct(spread(level.runs.map((run) => run.cpuWholeRun?.[name])))),
    pct(spread(level.runs.map((run) => run.cpuWholeRun?.machine))),
    ...PROCESSES.map((name) => pct(spread(level.runs.map((run) => run.peakMib?.[name])))),
  ]);
  return `### Where the time goes: rtpengine threads, and the whole run

Each hop's threads while all calls were up (% of one core; threads of one name summed, those under
0.5 % in every run left out), from /proc/<pid>/task/<tid>/stat:

${markdownTable(['calls', 'mode', 'hop', 'thread', '% of a core'], threadRows)}

The stack's processes over the whole run, from the first SIPp's start to the last one's end (the
ramp, every call's keys and the hang-ups; the table above is the window with all calls up; SIPp has
exited by then and is counted in *whole machine*, everything the machine ran, /proc/stat), and each
process's peak resident set (VmHWM) at the end of the run:

${markdownTable(
  [
    'calls',
    'mode',
    'run s',
    ...PROCESSES.map((name) => `${name} %`),
    'whole machine %',
    ...PROCESSES.map((name) => `${name} peak MiB`),
  ],
  wholeRows,
)}
`;
}

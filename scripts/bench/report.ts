/**
 * The bench's data (what a bench writes to docs/benchmarks/*.json: every run's raw figures) and what
 * is made of it: the terminal table and docs/benchmarks.md. Every figure and every sentence of the
 * result is computed here from the runs; `--report-from FILE.json` makes the same markdown again.
 */
import { MASKING_MODES, type MaskingMode } from './bench-ports.js';
import { type CpuFigure, cpuFigures, type LevelSummary, summariseLevel } from './level-summary.js';
import type { LoadResult } from './load-run.js';
import type { MachineInfo } from './machine.js';
import { formatSpread, type Spread } from './stats.js';

/** Probe bursts per call: 2 while the payment captures, 3 after it (customer-mix.ts). */
const BURSTS_PER_CALL = 5;

/** The issue's bar: added one-way delay at most this, in ms. */
export const DELAY_LIMIT_MS = 60;

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

/** The pass-through levels of every baseline (the masked ones are in `masked`). */
const passThrough = (summaries: BenchSummaries) =>
  summaries.baselines.flatMap((group) => group.filter((level) => level.masking !== 'on'));

const MODE_NAMES: Record<MaskingMode, string> = {
  on: 'masked (2 hops)',
  off: 'pass-through (2 hops)',
  'one-hop': 'pass-through (1 hop)',
};

/** The command that measures this level again (as many runs as the data has, same rate and probes). */
export function reproduce(data: BenchData, masking: MaskingMode, calls: number): string {
  const s = data.settings;
  const runs = data.results.filter((result) => result.masking === masking && result.calls === calls).length;
  return `./scripts/tonewall bench --modes ${masking} --levels ${calls} --runs ${runs} --rate ${s.rate} --probes ${s.probes}`;
}

const ms = (value: Spread | undefined) => formatSpread(value, 1);
const pct = (value: Spread | undefined) => formatSpread(value, 1);
const count = (value: Spread | undefined) => formatSpread(value, 0);
const cpuOf = (level: LevelSummary, name: CpuFigure) => pct(level.cpu[name]);
const heardCell = (level: LevelSummary) =>
  level.masking === 'on'
    ? `${level.heard} / ${level.checked}`
    : `${level.heard} / ${level.checked} (control)`;

const TEXT_COLUMNS = [
  'calls',
  'mode',
  'up',
  'paid % (payable)',
  'checked',
  'agent heard digits',
  'keys wrong',
  'delay ms [before keys → after]',
  'DTMF→screen p99',
  'rtpengine edge+mask %',
  'others %',
  'held',
] as const;

function textRow(level: LevelSummary): string[] {
  return [
    String(level.calls),
    level.masking,
    count(level.setUp),
    `${pct(level.paidPct)} (${level.paidPayable}/${level.payable})`,
    `${level.checked}/${level.placed}`,
    heardCell(level),
    String(level.keysWrong),
    `${ms(level.delayMs)} [${ms(level.delayEarlyMs)} → ${ms(level.delayLateMs)}]`,
    ms(level.keyToScreenP99),
    `${cpuOf(level, 'rtpengine edge')} + ${cpuOf(level, 'rtpengine mask')} = ${cpuOf(level, 'rtpengine')}`,
    cpuOf(level, 'others'),
    level.masking === 'on' ? (level.held ? 'yes' : `NO: ${level.why.join('; ')}`) : '–',
  ];
}

export function textTable(levels: readonly LevelSummary[]): string {
  const rows = [TEXT_COLUMNS.map(String), ...levels.map(textRow)];
  const widths = TEXT_COLUMNS.map((_, column) =>
    Math.max(...rows.map((cells) => (cells[column] ?? '').length)),
  );
  return rows
    .map((cells) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '))
    .join('\n');
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : '–';

/** The result's sentences, each computed from the summaries. */
export function findings(data: BenchData, summaries: BenchSummaries): string[] {
  const lines: string[] = [];
  const { masked, largestHeld } = summaries;
  const levelsRun = masked.map((level) => level.calls).join(', ');
  lines.push(
    largestHeld === undefined
      ? `No masked level held (levels run: ${levelsRun}; ${data.stopReason}).`
      : `Largest masked load that held: **${largestHeld} concurrent calls with payments** (levels run: ${levelsRun}; ${data.stopReason}).`,
  );
  if (masked.length > 0) {
    const checked = masked.reduce((total, level) => total + level.checked, 0);
    const placed = masked.reduce((total, level) => total + level.placed, 0);
    const heard = masked.reduce((total, level) => total + level.heard, 0);
    lines.push(
      `Leaks, masked: **${heard} call(s) of ${checked} checked** (${placed} placed; every call's whole agent stream, digit events and DTMF tone).`,
    );
    const payable = masked.reduce((total, level) => total + level.payable, 0);
    const paid = masked.reduce((total, level) => total + level.paidPayable, 0);
    lines.push(
      `Payments, masked: **${paid} of ${payable} payable calls paid** (${placed - payable} call(s) of the layout whose end packets are all lost cannot pay: rtpengine 10.5 never reports those keys).`,
    );
    const delays = masked.filter((level) => level.delayMs);
    const worst = (pick: (level: LevelSummary) => number | undefined) =>
      Math.max(...delays.map((level) => pick(level) ?? Number.NaN));
    if (delays.length > 0) {
      lines.push(
        `Added one-way delay customer → agent, masked (median of the runs' medians): ${delays
          .map(
            (level) =>
              `${level.calls} calls ${ms(level.delayEarlyMs)} ms while the payment captures (before the keys), ${ms(level.delayLateMs)} ms after the payment`,
          )
          .join('; ')}. ` +
          `The worst run's median ${worst((level) => level.delayEarlyMs?.max).toFixed(1)} ms while capturing, ` +
          `${worst((level) => level.delayLateMs?.max).toFixed(1)} ms after the payment; the worst call's median ${worst((level) => level.delayCallMedianMaxMs).toFixed(1)} ms, ` +
          `the worst single burst ${worst((level) => level.delayMaxMs).toFixed(1)} ms.`,
      );
    } else {
      lines.push('Added one-way delay: not measured (no probe burst matched).');
    }
    const within = (level: LevelSummary) =>
      (level.delayEarlyMs?.max ?? Infinity) <= DELAY_LIMIT_MS &&
      (level.delayLateMs?.max ?? Infinity) <= DELAY_LIMIT_MS;
    const clean = (level: LevelSummary) => level.heard === 0 && level.checked === level.placed;
    const bar = masked.filter((level) => within(level) && clean(level));
    const reasons = (level: LevelSummary) =>
      [
        !clean(level) ? `${level.heard} leak(s), ${level.placed - level.checked} unchecked` : undefined,
        (level.delayEarlyMs?.max ?? Infinity) > DELAY_LIMIT_MS
          ? `delay while capturing ${ms(level.delayEarlyMs)} ms`
          : undefined,
        (level.delayLateMs?.max ?? Infinity) > DELAY_LIMIT_MS
          ? `delay after the payment ${ms(level.delayLateMs)} ms`
          : undefined,
      ]
        .filter(Boolean)
        .join(', ');
    lines.push(
      `Issue 14's bar (added delay ≤ ${DELAY_LIMIT_MS} ms — every run's median, while capturing and after — and 0 leaks on every call, every call checked): ` +
        (bar.length === masked.length
          ? `**met at every masked level run** (${levelsRun}).`
          : `**not met** at ${masked
              .filter((level) => !bar.includes(level))
              .map((level) => `${level.calls} calls (${reasons(level)})`)
              .join(
                '; ',
              )}${bar.length > 0 ? `; met at ${bar.map((level) => level.calls).join(', ')}` : ''}.`),
    );
  }
  for (const group of summaries.baselines) {
    const on = group.find((level) => level.masking === 'on');
    const off = group.find((level) => level.masking === 'off');
    const oneHop = group.find((level) => level.masking === 'one-hop');
    const calls = group[0]?.calls;
    if (!off && !oneHop) continue;
    const cpu = (level: LevelSummary | undefined) => level?.cpu.rtpengine?.median;
    const parts = [
      on
        ? `masked ${pct(on.cpu.rtpengine)} % of a core (edge ${pct(on.cpu['rtpengine edge'])}, mask ${pct(on.cpu['rtpengine mask'])})`
        : undefined,
      off ? `pass-through on both hops ${pct(off.cpu.rtpengine)} %` : undefined,
      oneHop ? `one pass-through hop ${pct(oneHop.cpu['rtpengine edge'])} %` : undefined,
    ].filter(Boolean);
    lines.push(
      `CPU of the rtpengines at ${calls} calls (both processes summed; medians): ${parts.join(', ')}. ` +
        `The masked design costs ${ratio(cpu(on), cpu(off))} two-hop pass-through and ${ratio(cpu(on), oneHop?.cpu['rtpengine edge']?.median)} one hop.`,
    );
    const controls = [off, oneHop].filter((level): level is LevelSummary => level !== undefined);
    lines.push(
      `Positive control at ${calls} calls: with masking off the agent heard digits on ${controls
        .map((level) => `${level.heard} of ${level.checked} checked calls (${MODE_NAMES[level.masking]})`)
        .join(' and ')}; added delay ${controls
        .map((level) => `${ms(level.delayMs)} ms (${MODE_NAMES[level.masking]})`)
        .join(', ')}.`,
    );
  }
  const loads = data.results.map((result) => result.loadAverage);
  const others = data.results.flatMap((result) => cpuFigures(result.cpu).others ?? []);
  if (loads.length > 0 && others.length > 0)
    lines.push(
      `The machine was shared: 1-minute load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} at the runs' starts; ` +
        `processes other than the bench's took ${Math.min(...others).toFixed(1)}–${Math.max(...others).toFixed(1)} % of a core during the windows (column *others*).`,
    );
  return lines;
}

function whyRows(summaries: BenchSummaries): string[] {
  const which = (
    rows: readonly LevelSummary['byLayout'][number][],
    pick: (row: LevelSummary['byLayout'][number]) => number,
  ) =>
    rows
      .filter((row) => pick(row) > 0)
      .map((row) => `${row.layout} ${pick(row)}/${row.calls}`)
      .join(', ');
  return summaries.masked.flatMap((level) => {
    if (level.held) return [];
    const leaked = which(level.byLayout, (row) => row.heard);
    const wrong = which(level.byLayout, (row) => row.keysWrong);
    return [
      `- ${level.calls} calls, masked: did not hold: ${level.why.join('; ')}.` +
        (leaked ? ` Leaked (calls per layout): ${leaked}.` : '') +
        (wrong ? ` Keys wrong: ${wrong}.` : ''),
    ];
  });
}

export function headline(data: BenchData): string {
  return findings(data, summarise(data))[0] ?? '';
}

/** One line on another bench kept next to this one (its own data), for the record. */
export function otherBenchLine(data: BenchData, path: string): string {
  const { masked, largestHeld } = summarise(data);
  const loads = data.results.map((result) => result.loadAverage);
  const levels = masked
    .map(
      (level) =>
        `${level.calls}: ${level.heard}/${level.checked} heard, delay ${ms(level.delayEarlyMs)} → ${ms(level.delayLateMs)} ms, p99 ${ms(level.keyToScreenP99)} ms`,
    )
    .join('; ');
  return (
    `- ${data.date}, \`${data.command}\` (load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}): ` +
    `largest masked level that held ${largestHeld ?? 'none'}${levels ? `; ${levels}` : ''}. [\`${path}\`](${path.replace(/^docs\//, '')})`
  );
}

export function benchmarksMarkdown(
  data: BenchData,
  jsonPaths: readonly string[],
  others: readonly { readonly path: string; readonly data: BenchData }[] = [],
): string {
  const summaries = summarise(data);
  const m = data.machine;
  const { masked, baselines } = summaries;
  const onRows = masked.map((level) => [
    String(level.calls),
    `${count(level.setUp)}`,
    pct(level.paidPct),
    `${level.paidPayable} / ${level.payable}`,
    `${level.checked} / ${level.placed}`,
    heardCell(level),
    `${level.keysWrong}`,
    ms(level.delayMs),
    ms(level.delayEarlyMs),
    ms(level.delayLateMs),
    `${level.delayMaxMs === undefined ? '–' : level.delayMaxMs.toFixed(1)} (${level.delayBursts} of ${level.probedCalls * BURSTS_PER_CALL})`,
    ms(level.keyToScreenP50),
    ms(level.keyToScreenP99),
    formatSpread(level.outcomeP99, 0),
    level.held ? 'yes' : `NO`,
    `\`${reproduce(data, 'on', level.calls)}\``,
  ]);
  const cpuRows = [...masked, ...passThrough(summaries)].map((level) => [
    String(level.calls),
    MODE_NAMES[level.masking],
    cpuOf(level, 'rtpengine edge'),
    cpuOf(level, 'rtpengine mask'),
    cpuOf(level, 'rtpengine'),
    cpuOf(level, 'kamailio'),
    cpuOf(level, 'gateway'),
    cpuOf(level, 'sipp'),
    cpuOf(level, 'bench'),
    cpuOf(level, 'others'),
    formatSpread(level.loadAverage, 2),
    formatSpread(level.gatewayPeakMib, 0),
    `${level.dtmfDrops} / ${level.agentDrops}`,
  ]);
  const baseRows = baselines
    .flat()
    .map((level) => [
      MODE_NAMES[level.masking],
      String(level.calls),
      cpuOf(level, 'rtpengine'),
      ms(level.delayMs),
      heardCell(level),
      pct(level.paidPct),
      `${level.keysWrong}`,
      `\`${reproduce(data, level.masking, level.calls)}\``,
    ]);
  const largest = masked.at(-1);
  const delayCell = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(1));
  const layoutRows = (largest?.byLayout ?? []).map((row) => [
    row.layout,
    `${row.checked} / ${row.calls}`,
    row.heard === 0 ? '0' : `${row.heard} (${row.heardDigitEvents} events, ${row.heardToneMs} ms tone)`,
    `${row.keysWrong}${row.keysExpected === 0 ? ' (0 expected)' : ''}`,
    `${row.paid} / ${row.calls}`,
    delayCell(row.delayEarlyMs),
    delayCell(row.delayLateMs),
  ]);
  const problems = [...masked, ...passThrough(summaries)].flatMap((level) =>
    level.problems.map((problem) => `- ${level.calls} calls, ${MODE_NAMES[level.masking]}: ${problem}`),
  );
  const stack = data.settings.stack;
  const flags = (mode: MaskingMode) =>
    Object.entries(stack[mode] ?? {})
      .map(([name, value]) => `\`${name}=${value}\``)
      .join(', ');
  return `# Benchmarks: capacity, masking and latency on the real stack

Generated by the bench from its data — do not edit by hand. Measured ${data.date} with
\`${data.command}\`; the raw figures of every run are in ${jsonPaths
    .map((path) => `[\`${path}\`](${path.replace(/^docs\//, '')})`)
    .join(' and ')}
(\`npx tsx scripts/bench.ts --report-from ${jsonPaths.join(',')}\` writes this file again from them). Each row
says the command that measures it again. Source: commit \`${data.source.commit.slice(0, 12)}\`${
    data.source.uncommitted.length > 0
      ? ` with uncommitted changes in ${data.source.uncommitted.map((file) => `\`${file}\``).join(', ')} (the shared checkout)`
      : ''
  }.

## Result

${findings(data, summaries)
  .map((line) => `- ${line}`)
  .join('\n')}
${whyRows(summaries).length > 0 ? `\n${whyRows(summaries).join('\n')}\n` : ''}
Each figure is the median of ${data.settings.runs} run(s) with the spread (min–max) in brackets; counts are summed over the runs.

### Masked (two hops), stepping up

${markdownTable(
  [
    'calls',
    'set up',
    'paid %',
    'payable paid',
    'calls checked / placed',
    'agent heard digits (leaks)',
    'keys wrong',
    'added delay ms',
    'while capturing',
    'after the payment',
    'largest burst ms (bursts matched of sent)',
    'DTMF→screen p50 ms',
    'p99 ms',
    'last key→outcome p99 ms',
    'held',
    'reproduce',
  ],
  onRows,
)}

### What masking costs: every mode at ${data.baselineLevels.join(' and ') || '–'} calls

${baseRows.length > 0 ? markdownTable(['mode', 'calls', 'rtpengine CPU % (both)', 'added delay ms', 'agent heard digits', 'paid %', 'keys wrong', 'reproduce'], baseRows) : 'Not run.'}

### CPU (% of one core; the machine has ${m.cpus}) and memory

${markdownTable(
  [
    'calls',
    'mode',
    'rtpengine edge',
    'rtpengine mask',
    'both',
    'Kamailio',
    'gateway',
    'SIPp',
    'bench',
    'others',
    'load avg',
    'gateway peak MiB',
    'DTMF / agent drops',
  ],
  cpuRows,
)}

### Per layout at ${largest?.calls ?? '–'} masked calls (all runs)

${
  layoutRows.length > 0
    ? markdownTable(
        [
          'customer layout',
          'checked / calls',
          'agent heard digits',
          'keys wrong',
          'paid',
          'added delay while capturing ms',
          'after the payment ms',
        ],
        layoutRows,
      )
    : 'Not run.'
}

## What the columns mean

- *set up*: calls the gateway listed as answered (\`GET /v1/calls\`); *paid %*: payments that ended
  \`succeeded\` (the sandbox approved the card), of the calls placed; *payable paid*: the same over
  the calls whose layout lets every key be captured (all but *end packet lost (end×1: none)*: rtpengine
  10.5 reports a key when its end packet comes, so a key whose end packets are all lost is masked but
  never reported; a real customer keys the field again; with masking off, nor the in-band layouts: no
  in-band detector runs on a pass-through call), over all runs. A masked level *held* when, in
  every run, all calls were up, every payable call paid, every call's agent stream was checked, no
  agent heard a digit, no call had a key too many or too few (none expected from the layout above),
  and every agent got at least half the customer's audio.
- *calls checked*: calls whose agent's whole stream reached an RTP endpoint of the bench that
  recorded every packet and analysed it after the call: telephone-events carrying a digit, and DTMF
  tone (Goertzel detector on the decoded PCMU, −60 dBFS per tone). *agent heard digits*: checked calls
  where it found either. Masked, that is a leak; with masking off it is the positive control (the
  check does hear digits that reach the agent). Calls where the agent got under half the customer's
  audio count as not proving anything (held = no).
- *keys wrong*: calls whose gateway accepted more or fewer keys than the layout lets it (the
  ${data.settings.keysPerCall} keyed, or none, above).
- *added delay*: one-way, customer → agent, measured on the wire (below); per run the median over
  its probe bursts, then the median and spread of the runs. *while capturing*: the two bursts in the
  lead-in, after the payment started and before the call's first key (masked, the gateway has raised
  the mask hop's delay buffer for the capture); *after the payment*: the three bursts ≥ 1 s after the
  last key, once the payment ended (back to the outside-capture delay buffer; a call whose payment
  could not end still captures). *largest burst*: the largest single burst's delay over all runs,
  with how many of the probe bursts sent were matched: a burst is matched to the first onset at the
  agent within 500 ms after it (audio-delay.ts), so unmatched bursts mean a delay over 500 ms, a burst
  lost, or a capture that started late (an overloaded machine sets the calls up late).
- *DTMF→screen*: from the arrival of a key's DTMF report at the gateway (its DTMF receive thread's
  time, in the listener's \`DTMF report accepted\` debug line, which holds the time and the Call-ID,
  never the key) to the bench receiving the SSE frame that shows it; per run the percentile over every
  key of every call. *last key→outcome*: from the last key's report to the frame with the outcome
  (includes tokenisation at the sandbox over mTLS + JWE), succeeded payments only.
- *CPU*: from /proc/<pid>/stat utime + stime over the window in which all calls were up; *both* is
  the two rtpengine processes summed; Kamailio is all its processes; SIPp both SIPp processes (the
  customers' media and both sides' SIP: the agents' media is the bench's since every call is checked,
  so SIPp and bench figures do not compare with benches before 2026-12-02); *bench* the bench process
  (with every agent's RTP endpoint on its media thread) and the delay probe's tcpdump; *others* everything else the machine ran in the window (/proc/stat less the above): the
  shared machine's other work. *load avg*: the 1-minute load average as each run started.
- *DTMF / agent drops*: datagrams the kernel dropped at the gateway's DTMF socket / at the agents'
  endpoints (a dropped agent packet is one the check did not see), summed over the runs.

## Method

- Machine: ${m.cpuModel}, ${m.cpus} cores, ${m.memoryGib} GiB, kernel ${m.kernel}; Kamailio ${m.kamailio},
  rtpengine ${m.rtpengine}, SIPp ${m.sipp}, Node ${m.node}. Everything on this one machine, loopback
  only: SIPp customers and agents, Kamailio, both rtpengines (userspace, \`--table=-1\`), the gateway,
  the sandbox processor, and the bench itself. Other helpers' test runs shared it (*others*).
- \`./scripts/tonewall bench\` starts its own stack in \`.run/bench\` on ports apart from the
  defaults (SIP 7060, evapi 7448, JSON-RPC 7071, edge rtpengine NG 7223 / CLI 7224, mask rtpengine NG
  7225 / CLI 7226, RTP 20000–27999 split between them, DTMF reports 7999 (edge) and 7998 (mask), gateway 7080, sandbox
  7443; customers at 127.0.0.1, agents at 127.0.0.4:7080), the sandbox processor and the gateway as
  processes (debug log level; Kamailio, the rtpengines and the gateway with the settings
  \`./scripts/tonewall up\` uses), and stops all of them by PID at the end, on failure and on Ctrl-C.
- Masking settings per mode (scripts/lib/stack.sh as it resolved them): masked: ${flags('on')}; the
  gateway raises the mask hop's delay buffer while a payment captures (\`TONEWALL_CAPTURE_DELAY_BUFFER\`,
  its default) and lowers it again when the payment ends.
  Pass-through (2 hops): ${flags('off')}, and the bench sends \`unblock DTMF\` (\`delay-buffer: 0\`)
  to both rtpengines as each call appears, so neither blocks; the gateway's NG client for the mask
  hop points at a port nothing listens on (7227), so its capture delay does not block the mask hop again. Pass-through (1 hop): the same, with
  Kamailio on a copy of sip-config/kamailio.cfg whose every \`set_rtpengine_set\` names the edge only
  (scripts/bench/one-hop.ts): the call crosses one rtpengine (the mask rtpengine runs idle).
- Per run, one SIPp process places N calls (\`-m N -l N -r ${data.settings.rate}\`) through Kamailio and
  the rtpengines to one SIPp agent process. Customer n keys the card (${data.settings.keysPerCall} keys:
  number, \`#\`, expiry, security code) in layout (n − 1) mod ${data.settings.mix.length} of the masking
  matrix (test/support/masking-matrix.ts, made by test/support/media/stream-layout.ts): ${data.settings.mix
    .map((name) => `*${name}*`)
    .join(', ')}. The in-band layouts' SDP offers telephone-event or not as their name says; the others
  offer it. Each customer's stream (scripts/bench/customer-mix.ts): PCMU silence covering the ramp
  plus 3 s (every call keys while all N are up), the layout's keys, silence to a point common to every
  layout (≥ 1 s after the last key), then 3 bursts of 1 kHz at −10 dBFS (200 ms, 1 s apart), so every
  call sends audio as long as the others; the lead-in has two such bursts 1.6 s and 0.6 s before
  its end (the delay while the payment captures, before the keys).
- Every call's agent SDP points at an RTP endpoint of the bench (SIPp answers only the SIP): one
  socket per call on a worker thread of the bench, which records every packet, talks back a 440 Hz
  tone on one shared 20 ms tick, and analyses each call's recording after the load.
- The added delay: once all calls are up the bench asks the edge rtpengine (\`query\`) where
  ${data.settings.probes} calls per run (one of each layout first, spread over the ramp) send their media, and
  tcpdump captures on \`lo\` those calls' customer → edge packets and the packets reaching their
  agents' endpoints. Each burst's delay is its onset at the agent minus its onset at the customer,
  both on the capture's clock (test/support/audio-delay.ts \`delayFromCapture\`).
- The bench polls \`GET /v1/calls\` (every 100 ms until all N are up), starts a payment
  (integration key, security code required) on each call as it appears and follows its SSE stream
  with \`node:http\`, noting each chunk's arrival and parsing the frames after the stream ended.
- Masked levels step up through the levels asked for, and stop early when a level loses over 5 % of
  its calls or payable payments, or the processes measured take over 90 % of all cores (a level that
  did not hold for one layout's sake says nothing of capacity); ${data.stopReason}. The baselines ran
  at ${data.baselineLevels.join(' and ') || '–'} calls (\`--baseline-level\`: numbers, or \`held\`, the largest masked
  level that held).
${problems.length > 0 ? `\n## What went wrong in runs\n\n${problems.join('\n')}\n` : ''}${
  others.length > 0
    ? `\n## Other benches kept in docs/benchmarks (each line from its own data)\n\n${others
        .map((other) => otherBenchLine(other.data, other.path))
        .join('\n')}\n`
    : ''
}`;
}

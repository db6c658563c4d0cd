/**
 * One load level over several runs: each figure as the median and spread (min–max) of the runs, the
 * per-call checks summed over the runs, and whether the level held. Pure (test/unit/bench).
 */
import type { MaskingMode } from './bench-ports.js';
import { type DeskFigures, deskFigures } from './desk-summary.js';
import type { CallRecord, LoadResult } from './load-types.js';
import { median, percentile, type Spread, spread } from './stats.js';

/** The processes measured, as their CPU figures are named (`rtpengine` is edge + mask + mute). */
export const CPU_GROUPS = [
  'rtpengine edge',
  'rtpengine mask',
  'rtpengine mute',
  'kamailio',
  'gateway',
  'sipp',
  'bench',
] as const;
/** Every CPU figure of a summary: the groups, the rtpengines summed, the whole machine, and the rest of it. */
export const CPU_FIGURES = [...CPU_GROUPS, 'rtpengine', 'machine', 'others'] as const;
export type CpuFigure = (typeof CPU_FIGURES)[number];

/** Whether the agent of this call got a digit: a telephone-event carrying one, or DTMF tone. */
export const heardDigits = (call: CallRecord): boolean =>
  call.agent !== undefined && (call.agent.digitEvents > 0 || call.agent.toneMs > 0);

/** Whether the agent got so little that the check proves nothing (under half the customer's frames). */
export const quiet = (call: CallRecord): boolean =>
  call.agent === undefined || call.agent.packets < 0.5 * call.expectedPackets;

export interface LayoutFigures {
  readonly layout: string;
  readonly calls: number;
  readonly checked: number;
  readonly heard: number;
  /** What the agents of this layout heard in all: telephone-events carrying a digit, ms of DTMF tone. */
  readonly heardDigitEvents: number;
  readonly heardToneMs: number;
  readonly keysWrong: number;
  /** Keys the gateway should accept from this layout (0: it cannot pay). */
  readonly keysExpected: number;
  readonly paid: number;
  /** Median added delay over this layout's probe bursts before the keys and after them (all runs). */
  readonly delayEarlyMs: number | undefined;
  readonly delayLateMs: number | undefined;
}

export interface LevelSummary extends DeskFigures {
  readonly calls: number;
  readonly masking: MaskingMode;
  readonly runs: number;
  readonly setUp: Spread | undefined;
  readonly succeeded: Spread | undefined;
  /** % of the calls whose payment succeeded, per run. */
  readonly paidPct: Spread | undefined;
  /**
   * Calls over all runs whose layout lets the gateway capture every key (customer-mix.ts
   * `keysAccepted`: not the layout whose end packets are all lost), and how many of them paid.
   */
  readonly payable: number;
  readonly paidPayable: number;
  /** Calls placed that the gateway never listed, over all runs. */
  readonly notSetUp: number;
  /** Runs whose calls were never all up together. */
  readonly runsApart: number;
  /** Payments whose customer the gateway could not mute, over all runs. */
  readonly captureRaiseFailures: number;
  /** Calls placed over all runs, and how many of them had their agent's whole stream checked. */
  readonly placed: number;
  readonly checked: number;
  /** Checked calls whose agent got a digit (masking on: a leak; off: the positive control). */
  readonly heard: number;
  readonly heardDigitEvents: number;
  readonly heardToneMs: number;
  /** Checked calls whose agent got under half the customer's frames. */
  readonly quietCalls: number;
  /** Datagrams the kernel dropped at the agents' endpoints (the check missed them), over all runs. */
  readonly agentDrops: number;
  /** Calls whose gateway accepted more or fewer keys than were keyed, over all runs. */
  readonly keysWrong: number;
  readonly keyToScreenP50: Spread | undefined;
  readonly keyToScreenP99: Spread | undefined;
  readonly outcomeP50: Spread | undefined;
  readonly outcomeP99: Spread | undefined;
  /** Added one-way delay customer → agent: per run the median over its probe bursts (before and after the keys). */
  readonly delayMs: Spread | undefined;
  /** The same, bursts before the keys only / after every key only. */
  readonly delayEarlyMs: Spread | undefined;
  readonly delayLateMs: Spread | undefined;
  /** The largest per-call median delay (a call's bursts are steady; calls differ). */
  readonly delayCallMedianMaxMs: number | undefined;
  /** Every probe burst of every run: how many, their 95th percentile and largest. */
  readonly delayBursts: number;
  readonly delayP95Ms: number | undefined;
  readonly delayMaxMs: number | undefined;
  readonly probedCalls: number;
  readonly cpu: Partial<Record<CpuFigure, Spread | undefined>>;
  readonly loadAverage: Spread | undefined;
  readonly gatewayPeakMib: Spread | undefined;
  readonly gatewayStartPeakMib: Spread | undefined;
  readonly inexactCalls: number;
  /** DTMF reports the kernel dropped at the gateway's socket, over all runs. */
  readonly dtmfDrops: number;
  readonly byLayout: readonly LayoutFigures[];
  /** Masking on: every run had all calls up, every payable call paid, every call checked, none heard, no key wrong. */
  readonly held: boolean;
  /** Why it did not hold, from the data (empty when it held). */
  readonly why: readonly string[];
  readonly problems: readonly string[];
}

function maxOf(values: readonly (number | undefined)[]): number | undefined {
  const present = values.filter((value): value is number => value !== undefined && Number.isFinite(value));
  return present.length > 0 ? Math.max(...present) : undefined;
}

/** The CPU figures of one run: the groups, `rtpengine` (all three), `machine`, `others` (machine − ours). */
export function cpuFigures(cpu: Record<string, number>): Partial<Record<CpuFigure, number>> {
  const figures: Partial<Record<CpuFigure, number>> = {};
  for (const name of CPU_GROUPS) if (cpu[name] !== undefined) figures[name] = cpu[name];
  const edge = cpu['rtpengine edge'];
  const mask = cpu['rtpengine mask'];
  if (edge !== undefined && mask !== undefined)
    figures.rtpengine = edge + mask + (cpu['rtpengine mute'] ?? 0);
  if (cpu.machine !== undefined) {
    figures.machine = cpu.machine;
    const ours = CPU_GROUPS.reduce((sum, name) => sum + (cpu[name] ?? 0), 0);
    figures.others = Math.max(0, cpu.machine - ours);
  }
  return figures;
}

export function summariseLevel(results: readonly LoadResult[]): LevelSummary {
  const first = results[0];
  if (!first) throw new Error('summariseLevel: no runs');
  const all = results.flatMap((result) => result.perCall);
  const checkedCalls = all.filter((call) => call.agent !== undefined);
  const heard = checkedCalls.filter(heardDigits);
  const keysWrong = (result: LoadResult) => result.perCall.filter((call) => call.keys !== call.keysExpected);
  const payable = (call: CallRecord) => call.keysExpected > 0;
  const burstDelays = (result: LoadResult, which: 'early' | 'late' | 'all' = 'all') =>
    result.perCall.flatMap((call) => [
      ...(which !== 'late' ? (call.delayEarlyMs ?? []) : []),
      ...(which !== 'early' ? (call.delayLateMs ?? []) : []),
    ]);
  const pooled = results.flatMap((result) => burstDelays(result));
  const cpuRuns = results.map((result) => cpuFigures(result.cpu));

  const why: string[] = [];
  const sum = (pick: (result: LoadResult) => number) =>
    results.reduce((total, result) => total + pick(result), 0);
  const notUp = sum((result) => result.calls - result.setUp);
  const payableCalls = all.filter(payable);
  const paidPayable = payableCalls.filter((call) => call.outcome === 'succeeded').length;
  const notPaid = payableCalls.length - paidPayable;
  const unchecked = all.length - checkedCalls.length;
  const wrong = results.flatMap(keysWrong);
  const quietCalls = checkedCalls.filter(quiet).length;
  if (notUp > 0) why.push(`${notUp} call(s) not set up`);
  const apart = results.filter((result) => result.allUpAtOnce === false).length;
  const raiseFailures = sum((result) => result.captureRaiseFailures ?? 0);
  if (first.masking === 'on' && raiseFailures > 0)
    why.push(`the gateway could not mute the customer on ${raiseFailures} payment(s)`);
  if (apart > 0) why.push(`in ${apart} run(s) the calls were never all up at once`);
  if (notPaid > 0) why.push(`${notPaid} payment(s) that could succeed did not`);
  if (first.masking === 'on' && heard.length > 0)
    why.push(`${heard.length} call(s) leaked a digit to the agent`);
  if (wrong.length > 0) why.push(`${wrong.length} call(s) with keys wrong`);
  if (unchecked > 0) why.push(`${unchecked} call(s) whose agent stream was not checked`);
  if (quietCalls > 0) why.push(`${quietCalls} checked call(s) whose agent got under half the audio`);

  const layouts = [...new Set(all.map((call) => call.layout))];
  const byLayout = layouts.map((layout) => {
    const calls = all.filter((call) => call.layout === layout);
    return {
      layout,
      calls: calls.length,
      checked: calls.filter((call) => call.agent !== undefined).length,
      heard: calls.filter(heardDigits).length,
      heardDigitEvents: calls.reduce((total, call) => total + (call.agent?.digitEvents ?? 0), 0),
      heardToneMs: calls.reduce((total, call) => total + (call.agent?.toneMs ?? 0), 0),
      keysWrong: results.flatMap(keysWrong).filter((call) => call.layout === layout).length,
      keysExpected: calls[0]?.keysExpected ?? 0,
      paid: calls.filter((call) => call.outcome === 'succeeded').length,
      delayEarlyMs: median(calls.flatMap((call) => call.delayEarlyMs ?? [])),
      delayLateMs: median(calls.flatMap((call) => call.delayLateMs ?? [])),
    };
  });

  return {
    calls: first.calls,
    masking: first.masking,
    runs: results.length,
    setUp: spread(results.map((result) => result.setUp)),
    succeeded: spread(results.map((result) => result.succeeded)),
    paidPct: spread(results.map((result) => (result.succeeded / result.calls) * 100)),
    payable: payableCalls.length,
    paidPayable,
    notSetUp: notUp,
    runsApart: apart,
    captureRaiseFailures: raiseFailures,
    placed: all.length,
    checked: checkedCalls.length,
    heard: heard.length,
    heardDigitEvents: heard.reduce((total, call) => total + (call.agent?.digitEvents ?? 0), 0),
    heardToneMs: heard.reduce((total, call) => total + (call.agent?.toneMs ?? 0), 0),
    quietCalls,
    agentDrops: checkedCalls.reduce((total, call) => total + (call.agent?.drops ?? 0), 0),
    keysWrong: wrong.length,
    keyToScreenP50: spread(results.map((result) => percentile(result.keyToScreenMs, 50))),
    keyToScreenP99: spread(results.map((result) => percentile(result.keyToScreenMs, 99))),
    ...deskFigures(results),
    outcomeP50: spread(results.map((result) => percentile(result.lastKeyToOutcomeMs, 50))),
    outcomeP99: spread(results.map((result) => percentile(result.lastKeyToOutcomeMs, 99))),
    delayMs: spread(results.map((result) => median(burstDelays(result)))),
    delayEarlyMs: spread(results.map((result) => median(burstDelays(result, 'early')))),
    delayLateMs: spread(results.map((result) => median(burstDelays(result, 'late')))),
    delayCallMedianMaxMs: maxOf(
      all.map((call) => median([...(call.delayEarlyMs ?? []), ...(call.delayLateMs ?? [])])),
    ),
    delayBursts: pooled.length,
    delayP95Ms: percentile(pooled, 95),
    delayMaxMs: pooled.length > 0 ? Math.max(...pooled) : undefined,
    probedCalls: all.filter((call) => call.delayEarlyMs !== undefined).length,
    cpu: Object.fromEntries(
      (
        [
          'rtpengine edge',
          'rtpengine mask',
          'rtpengine mute',
          'rtpengine',
          'kamailio',
          'gateway',
          'sipp',
          'bench',
          'machine',
          'others',
        ] as const
      ).map((name) => [name, spread(cpuRuns.map((figures) => figures[name]))]),
    ),
    loadAverage: spread(results.map((result) => result.loadAverage)),
    gatewayPeakMib: spread(results.map((result) => result.gatewayPeakMib)),
    gatewayStartPeakMib: spread(results.map((result) => result.gatewayStartPeakMib)),
    inexactCalls: sum((result) => result.inexactCalls),
    dtmfDrops: sum((result) => result.dtmfDrops),
    byLayout,
    held: first.masking === 'on' && why.length === 0,
    why,
    problems: results.flatMap((result) => result.problems).slice(0, 10),
  };
}

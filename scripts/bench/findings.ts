/**
 * The bench's result in sentences, each computed from the runs' summaries: the largest masked load that
 * held, leaks, payments, the added delay against the issue's bar, what masking costs, the machine.
 */

import { type BenchData, type BenchSummaries, summarise } from './bench-data.js';
import { packetToDeskCell } from './desk-summary.js';
import { cpuFigures, type LevelSummary } from './level-summary.js';
import { MODE_NAMES, ms, pct, ratio } from './report-cells.js';

/** The issue's bar: added one-way delay at most this, in ms. */
export const DELAY_LIMIT_MS = 60;

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
              `${level.calls} calls ${whileCapturing(level)} while the payment captures (before the keys), ${ms(level.delayLateMs)} ms after the payment`,
          )
          .join('; ')}. ` +
          (delays.some((level) => level.delayEarlyMs !== undefined)
            ? `The worst run's median ${worst((level) => level.delayEarlyMs?.max).toFixed(1)} ms while capturing, `
            : "The worst run's median ") +
          `${worst((level) => level.delayLateMs?.max).toFixed(1)} ms after the payment; the worst call's median ${worst((level) => level.delayCallMedianMaxMs).toFixed(1)} ms, ` +
          `the worst single burst ${worst((level) => level.delayMaxMs).toFixed(1)} ms.`,
      );
    } else {
      lines.push('Added one-way delay: not measured (no probe burst matched).');
    }
    // no burst matched while capturing: the customer was muted, nothing of it reached the agent
    const within = (level: LevelSummary) =>
      (level.delayEarlyMs?.max ?? 0) <= DELAY_LIMIT_MS &&
      (level.delayLateMs?.max ?? Infinity) <= DELAY_LIMIT_MS;
    const clean = (level: LevelSummary) => level.heard === 0 && level.checked === level.placed;
    const bar = masked.filter((level) => within(level) && clean(level));
    const reasons = (level: LevelSummary) =>
      [
        !clean(level) ? `${level.heard} leak(s), ${level.placed - level.checked} unchecked` : undefined,
        (level.delayEarlyMs?.max ?? 0) > DELAY_LIMIT_MS
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
        ? `masked ${pct(on.cpu.rtpengine)} % of a core (edge ${pct(on.cpu['rtpengine edge'])}, mask ${pct(on.cpu['rtpengine mask'])}, mute ${pct(on.cpu['rtpengine mute'])})`
        : undefined,
      off ? `pass-through on the three hops ${pct(off.cpu.rtpengine)} %` : undefined,
      oneHop ? `one pass-through hop ${pct(oneHop.cpu['rtpengine edge'])} %` : undefined,
    ].filter(Boolean);
    lines.push(
      `CPU of the rtpengines at ${calls} calls (the three processes summed; medians): ${parts.join(', ')}. ` +
        `The masked design costs ${ratio(cpu(on), cpu(off))} three-hop pass-through and ${ratio(cpu(on), oneHop?.cpu['rtpengine edge']?.median)} one hop.`,
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
  const burners = data.settings.burners ?? 0;
  if (burners > 0)
    lines.push(
      `**${burners} CPU burner(s)** (busy loops at normal priority, \`--burners ${burners}\`) ran beside every run: the host's CPUs were contended on purpose; their CPU is in *others*.`,
    );
  if (loads.length > 0 && others.length > 0)
    lines.push(
      `The machine was shared: 1-minute load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} at the runs' starts; ` +
        `processes other than the bench's took ${Math.min(...others).toFixed(1)}–${Math.max(...others).toFixed(1)} % of a core during the windows (column *others*).`,
    );
  return lines;
}

/** The masked levels that did not hold, and why (leaks and wrong keys by layout). */
export function whyRows(summaries: BenchSummaries): string[] {
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
        `${level.calls}: ${level.heard}/${level.checked} heard, delay ${ms(level.delayEarlyMs)} → ${ms(level.delayLateMs)} ms, gateway→SSE p99 ${ms(level.keyToScreenP99)} ms${level.desks > 0 ? `, packet→desk p50 / p99 ms ${packetToDeskCell(level)}` : ''}`,
    )
    .join('; ');
  return (
    `- ${data.date}, \`${data.command}\` (load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}): ` +
    `largest masked level that held ${largestHeld ?? 'none'}${levels ? `; ${levels}` : ''}. [\`${path}\`](${path.replace(/^docs\//, '')})`
  );
}

/** The delay while capturing: none matched means the customer was muted (the mute hop), nothing reached the agent. */
function whileCapturing(level: LevelSummary): string {
  return level.delayEarlyMs === undefined ? 'no audio (muted)' : `${ms(level.delayEarlyMs)} ms`;
}

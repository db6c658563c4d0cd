/** The cells the bench's tables and sentences print (report.ts, findings.ts, text-table.ts). */

import type { BenchSummaries } from './bench-data.js';
import type { MaskingMode } from './bench-ports.js';
import type { CpuFigure, LevelSummary } from './level-summary.js';
import { formatSpread, type Spread } from './stats.js';

/** The pass-through levels of every baseline (the masked ones are in `masked`). */
export const passThrough = (summaries: BenchSummaries) =>
  summaries.baselines.flatMap((group) => group.filter((level) => level.masking !== 'on'));

export const MODE_NAMES: Record<MaskingMode, string> = {
  on: 'masked (3 hops)',
  off: 'pass-through (3 hops)',
  'one-hop': 'pass-through (1 hop)',
};

export const ms = (value: Spread | undefined) => formatSpread(value, 1);
export const pct = (value: Spread | undefined) => formatSpread(value, 1);
export const count = (value: Spread | undefined) => formatSpread(value, 0);
export const cpuOf = (level: LevelSummary, name: CpuFigure) => pct(level.cpu[name]);
export const heardCell = (level: LevelSummary) =>
  level.masking === 'on'
    ? `${level.heard} / ${level.checked}`
    : `${level.heard} / ${level.checked} (control)`;

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

export const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : '–';

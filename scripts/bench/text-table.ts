/** The bench's terminal table: one row a level. */

import { packetToDeskCell } from './desk-summary.js';
import type { LevelSummary } from './level-summary.js';
import { count, cpuOf, heardCell, ms, pct } from './report-cells.js';

const TEXT_COLUMNS = [
  'calls',
  'mode',
  'up',
  'paid % (payable)',
  'checked',
  'agent heard digits',
  'keys wrong',
  'delay ms [before keys → after]',
  'gateway→SSE p99',
  'packet→desk p50 / p99',
  'rtpengine edge+mask+mute %',
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
    packetToDeskCell(level),
    `${cpuOf(level, 'rtpengine edge')} + ${cpuOf(level, 'rtpengine mask')} + ${cpuOf(level, 'rtpengine mute')} = ${cpuOf(level, 'rtpengine')}`,
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

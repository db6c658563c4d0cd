/** masking-check's result as the signed evidence the auditor's report shows (src/adapters/audit/masking-evidence.ts). */
import type { MaskingEvidence } from '../../src/adapters/audit/masking-evidence.js';
import type { delayFromCapture } from '../../test/support/audio-delay.js';
import { type MatrixRow, rowPasses } from '../../test/support/masking-matrix.js';

export function evidenceOf(
  rows: readonly MatrixRow[],
  stack: string,
  settings: Record<string, string>,
  delay: ReturnType<typeof delayFromCapture>,
): MaskingEvidence {
  const layouts = rows.map((row) => ({
    layout: row.layout,
    keys: row.keys,
    eventsAtAgent: row.eventsAtAgent,
    toneMsAtAgent: row.toneMsAtAgent,
    maxDtmfDbfs: Math.max(-200, row.maxDtmfDbfs),
    agentAudioMs: Math.round(row.agentAudioMs),
    customerAudioMs: Math.round(row.customerAudioMs),
    reportsOk: row.captured === undefined ? null : row.captured === row.expected,
    passed: rowPasses(row),
  }));
  return {
    type: 'tonewall.masking-check',
    version: 1,
    checkedAt: new Date().toISOString(),
    stack,
    settings,
    addedDelayMs: {
      median: Number.isFinite(delay.medianMs) ? Math.round(delay.medianMs * 10) / 10 : null,
      samples: delay.delaysMs.map((d) => Math.round(d * 10) / 10),
    },
    layouts,
    calls: rows.length + 1,
    keys: rows.reduce((sum, row) => sum + row.keys, 0),
    leakedToneMs: rows.reduce((sum, row) => sum + row.toneMsAtAgent, 0),
    eventsAtAgent: rows.reduce((sum, row) => sum + row.eventsAtAgent, 0),
    passed: layouts.every((l) => l.passed) && layouts.length > 0,
  };
}

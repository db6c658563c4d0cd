/**
 * Issue 14: masking holds for every layout of the generator, on the real Kamailio and both rtpengines
 * (global-setup), for a whole payment and a retry per call (43 keys). Every call's agent stream is
 * checked whole: 0 telephone-events carrying a digit, 0 ms of DTMF tone (Goertzel, −60 dBFS per tone),
 * the customer's audio did arrive; and rtpengine reported each key exactly once (both hops' report
 * ports are read here: no gateway runs in this file).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dtmfInPcap } from '../support/agent-audio.js';
import { CallHarness } from '../support/call-harness.js';
import { findKeyedDigits, logEnd, logFile } from '../support/log-scan.js';
import {
  MATRIX,
  type MatrixRow,
  matrixTable,
  openReportListener,
  type ReportListener,
  rowPasses,
  runLayout,
} from '../support/masking-matrix.js';
import { layoutStream } from '../support/media/stream-layout.js';
import { TEST_RUN_DIR } from '../support/test-run.js';

const STACK_LOGS = ['kamailio.log', 'rtpengine.log', 'rtpengine-mask.log'].map((name) => ({
  name,
  path: join(TEST_RUN_DIR, name),
}));

let harness: CallHarness;
let reports: ReportListener;
const rows: MatrixRow[] = [];
let logStart: number[] = [];

beforeAll(async () => {
  logStart = STACK_LOGS.map(({ path }) => logEnd(path));
  harness = await CallHarness.create({ name: 'matrix' });
  reports = await openReportListener(9999);
});

afterAll(async () => {
  // the whole table in the run's output, passing or not: what a reviewer reads
  if (rows.length > 0) console.log(matrixTable(rows));
  await reports?.close();
  await harness?.cleanup();
});

describe('the layout generator (positive controls)', () => {
  it('in-band layouts carry tones the detector finds; event layouts carry every key as events', () => {
    for (const spec of MATRIX) {
      const stream = layoutStream('159#', spec);
      if (!spec.events) {
        expect(dtmfInPcap(stream.toPcap()).digitString, spec.name).toBe('159#');
      } else {
        const events = stream.packets.filter((p) => p.payloadType === 101);
        expect(events.length, spec.name).toBeGreaterThanOrEqual(4);
      }
    }
  });
});

describe('masking on every layout, 43 keys a call', () => {
  it.each(MATRIX.map((spec) => ({ name: spec.name, spec })))('$name', async ({ spec }) => {
    const row = await runLayout(harness, spec, { reports });
    rows.push(row);
    const summary = matrixTable([row]);
    expect(row.eventsAtAgent, summary).toBe(0);
    expect(row.toneMsAtAgent, summary).toBe(0);
    expect(row.agentAudioMs, summary).toBeGreaterThanOrEqual(0.9 * row.customerAudioMs);
    expect(row.reported, summary).toBe(row.expected);
    expect(rowPasses(row)).toBe(true);
  });
});

describe('logs', () => {
  it('Kamailio and both rtpengines logged none of the keyed digits', () => {
    const sources = STACK_LOGS.map(({ name, path }, i) => logFile(name, path, logStart[i]));
    expect(findKeyedDigits(sources, harness.keyed)).toEqual([]);
  });
});

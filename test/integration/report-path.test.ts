/**
 * rtpengine 10.5 sends its DTMF reports on a connected UDP socket: one report sent while nothing
 * listens (the gateway stopped) leaves an ICMP error on that socket, and the next report is not sent
 * at all. Found by CI: the masking matrix's first call lost its first key after an earlier test file
 * had left such a report behind. The gateway (and every test reader of the reports) now runs a probe
 * call into each rtpengine when it starts listening, whose key takes that loss
 * (src/adapters/rtpengine/report-path-probe.ts). Here, on the real stack: the loss without the
 * probe, and no loss with it, for a test reader and for the gateway.
 */

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NgClient } from '../../src/adapters/rtpengine/ng-client.js';
import { ReportPathProbe } from '../../src/adapters/rtpengine/report-path-probe.js';
import { systemTimers } from '../../src/application/clock.js';
import { CallHarness, type PlacedCall } from '../support/call-harness.js';
import { openDtmfReports } from '../support/dtmf-reports.js';
import { startInProcessGateway } from '../support/in-process-gateway.js';
import { layout } from '../support/media/layout.js';
import { layoutStream } from '../support/media/stream-layout.js';
import { openTestNg } from '../support/test-ng.js';
import { DTMF_REPORT_PORT } from '../support/test-run.js';

const KEYS = '1234#';

let harness: CallHarness;
let edgeNg: NgClient;

beforeAll(async () => {
  harness = await CallHarness.create({ name: 'report-path' });
  edgeNg = await openTestNg();
});

afterAll(async () => {
  await edgeNg?.close();
  await harness?.cleanup();
});

/** One key through the edge while nothing reads its reports: its report meets a closed port. */
async function leaveALostReportBehind(): Promise<void> {
  const probe = new ReportPathProbe({
    hops: [],
    timers: systemTimers,
    logger: pino({ level: 'silent' }),
    attempts: 1,
    reportTimeoutMs: 300,
  });
  await expect(probe.run({ name: 'edge', ng: edgeNg, block: {} })).rejects.toMatchObject({
    code: 'GW_ERR_DTMF_REPORT_PATH',
  });
}

/** A call keying KEYS as RFC 4733 events, its keys starting 1.5 s after answer. */
async function keyedCall(): Promise<PlacedCall> {
  const stream = layoutStream(KEYS, layout('report path', { leadInMs: 1500 }));
  const pcap = {
    bytes: stream.toPcap(),
    keys: KEYS,
    segments: stream.windows.map((w) => ({ digit: w.digit, startMs: w.startMs, endMs: w.endMs })),
    durationMs: stream.durationMs,
  };
  const call = await harness.placeCall({ customer: { telephoneEvent: true, pcap } });
  await harness.finish(call);
  // the last key is reported when it ends
  await new Promise((resolve) => setTimeout(resolve, 300));
  return call;
}

describe('a report rtpengine sent while nothing listened', () => {
  it('costs the next call its first key when nothing sheds it (the control)', async () => {
    await leaveALostReportBehind();
    const reports = await openDtmfReports({
      port: DTMF_REPORT_PORT,
      ngPort: 2223,
      maskNgPort: 2225,
      probe: false,
    });
    try {
      const call = await keyedCall();
      expect(reports.keysOf(call.customer.sipCallId, call.customer.fromTag)).toBe(KEYS.slice(1));
    } finally {
      await reports.close();
    }
  });

  it('is shed by the probe of a test reader: every key of the next call reported', async () => {
    await leaveALostReportBehind();
    const reports = await openDtmfReports({ port: DTMF_REPORT_PORT, ngPort: 2223, maskNgPort: 2225 });
    try {
      expect(reports.probed.find((p) => p.hop === 'edge')?.keysSent).toBe(2);
      const call = await keyedCall();
      expect(reports.keysOf(call.customer.sipCallId, call.customer.fromTag)).toBe(KEYS);
    } finally {
      await reports.close();
    }
  });

  it('is shed by the gateway at start: it logs so, and routes every key of the next call', async () => {
    await leaveALostReportBehind();
    const gateway = await startInProcessGateway();
    try {
      const checked = gateway.logs.lines
        .map((line) => JSON.parse(line) as { msg?: string; hop?: string; keysSent?: number })
        .filter((line) => line.msg?.startsWith('DTMF report path checked'));
      expect(checked.map((line) => [line.hop, line.keysSent]).sort()).toEqual([
        ['edge', 2],
        ['mask', 1],
      ]);
      const call = await keyedCall();
      expect(gateway.keysOf(call.customer.sipCallId)).toBe(KEYS);
    } finally {
      await gateway.close();
    }
  });
});

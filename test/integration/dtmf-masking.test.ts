/**
 * Issue 3, tests 1, 2, 4 and 5 on the real Kamailio + rtpengine (global-setup) with SIPp at both
 * ends and the gateway started in this process, so the exact keys it routes to the payment service
 * can be recorded per call (the gateway itself never exposes them).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentAudioReport,
  describeAgentAudio,
  dtmfInPcap,
  MAX_AGENT_DTMF_LEVEL_DBFS,
  MIN_AGENT_PACKET_SHARE,
} from '../support/agent-audio.js';
import { CallHarness, type PlacedCall } from '../support/call-harness.js';
import { type DtmfPcap, inBandPcap, rfc4733Pcap, silentPcap } from '../support/dtmf-pcap.js';
import { type InProcessGateway, startInProcessGateway } from '../support/in-process-gateway.js';
import { findKeyedDigits, logEnd, logFile } from '../support/log-scan.js';
import { sipTesterPcap } from '../support/sip-tester-pcap.js';
import { TEST_RUN_DIR as RUN_DIR } from '../support/test-run.js';

const STACK_LOGS = {
  'kamailio.log': join(RUN_DIR, 'kamailio.log'),
  'rtpengine.log': join(RUN_DIR, 'rtpengine.log'),
  'rtpengine-mask.log': join(RUN_DIR, 'rtpengine-mask.log'),
};

let gateway: InProcessGateway;
let harness: CallHarness;
/** Where the stack's logs ended before this file's calls: the scan reads what they wrote. */
let logStart: Record<string, number> = {};

beforeAll(async () => {
  logStart = Object.fromEntries(Object.entries(STACK_LOGS).map(([name, path]) => [name, logEnd(path)]));
  gateway = await startInProcessGateway();
  harness = await CallHarness.create({ name: 'masking' });
});

afterAll(async () => {
  await harness?.cleanup();
  await gateway?.close();
});

/**
 * Places one call whose customer plays `pcap`, checks the gateway lists it, waits for it to end
 * normally, and returns what the gateway routed for it and what the agent received.
 */
async function customerKeys(pcap: DtmfPcap, telephoneEvent: boolean) {
  const before = { ...gateway.gateway.dtmf.stats };
  const call: PlacedCall = await harness.placeCall({ customer: { telephoneEvent, pcap } });
  const listed = await gateway.api.waitForCall(call.customer.sipCallId);
  await harness.finish(call);
  const sink = call.agent.sink;
  if (!sink) throw new Error('agent without a sink');
  const after = gateway.gateway.dtmf.stats;
  return {
    call,
    listed,
    keys: gateway.keys.filter((recorded) => recorded.sipCallId === call.customer.sipCallId),
    duplicates: after.duplicates - before.duplicates,
    agent: agentAudioReport(sink, pcap),
  };
}

function expectCleanAgent(agent: ReturnType<typeof agentAudioReport>): void {
  const summary = describeAgentAudio(agent);
  expect(agent.packets, summary).toBeGreaterThanOrEqual(agent.customerPackets * MIN_AGENT_PACKET_SHARE);
  expect(agent.digitEvents, summary).toBe(0);
  expect(agent.toneMs, summary).toBe(0);
  expect(agent.detected, summary).toBe('');
  expect(agent.maxDtmfLevelDbfs, summary).toBeLessThan(MAX_AGENT_DTMF_LEVEL_DBFS);
}

describe('RFC 4733 digits from the customer', () => {
  it.each([
    { source: 'make-tone-pcap events', pcap: rfc4733Pcap('1123456789*0#', { leadInMs: 300, tailMs: 300 }) },
    {
      source: "sip-tester's dtmf_2833 pcaps",
      pcap: sipTesterPcap('98#7*65', { leadInMs: 300, tailMs: 300 }),
    },
  ])('$source: each key reaches the gateway once, in order, for its call; the agent gets none', async ({
    pcap,
  }) => {
    const result = await customerKeys(pcap, true);
    // Routed to the payment service for this call, in order, each once (a genuine repeat `11` kept).
    expect(result.keys.map((recorded) => recorded.key).join('')).toBe(pcap.keys);
    expect(new Set(result.keys.map((recorded) => recorded.callId))).toEqual(new Set([result.listed.id]));
    // the edge reports each RFC 4733 key once and the mask hop hears no tone: nothing to drop
    expect(result.duplicates, 'duplicate reports dropped').toBe(0);
    expectCleanAgent(result.agent);
  });
});

describe('RFC 4733 digits off the 20 ms frame grid', () => {
  // A phone's key goes down at any moment. With one rtpengine and detect-DTMF the `frame` layout (and
  // an event whose length is not a whole number of frames) let ~20 ms of some tones through at a
  // 60 ms delay buffer (docs/media.md, "Events off the frame grid"); the edge drops them now.
  it.each([
    { offsetMs: 10, eventClock: 'frame', keys: '5829#0*4617' },
    { offsetMs: 5, eventClock: 'frame', keys: '0*73#6942' },
    { offsetMs: 15, eventClock: 'timestamp', keys: '36#9*1057' },
    { offsetMs: 10, eventClock: 'wire', keys: '#4*07169' },
  ] as const)('events $offsetMs ms into a frame ($eventClock): each key once, 0 ms of tone at the agent', async ({
    offsetMs,
    eventClock,
    keys,
  }) => {
    const pcap = rfc4733Pcap(keys, {
      toneMs: 80,
      gapMs: 100,
      leadInMs: 300,
      tailMs: 300,
      eventOffsetMs: offsetMs,
      eventClock,
    });
    const result = await customerKeys(pcap, true);
    expect(result.keys.map((recorded) => recorded.key).join('')).toBe(keys);
    expectCleanAgent(result.agent);
  });

  it('an event 90 ms long (not a whole number of frames): 0 ms of tone at the agent', async () => {
    const pcap = rfc4733Pcap('71#38*502', { toneMs: 90, gapMs: 100, leadInMs: 300, tailMs: 300 });
    const result = await customerKeys(pcap, true);
    expect(result.keys.map((recorded) => recorded.key).join('')).toBe(pcap.keys);
    expectCleanAgent(result.agent);
  });
});

describe('in-band PCMU tones from the customer', () => {
  // The loud end with short and long tones, and short tones at −30 dBFS, each with and without
  // telephone-event offered. The matrix (masking-matrix.test.ts) keys 43 tones a call at −20, −30 and
  // −40 dBFS with both offers; together they cover −10 to −40 dBFS and 60 to 100 ms tones.
  const cases = (
    [
      [-10, 60],
      [-10, 100],
      [-30, 60],
    ] as const
  ).flatMap(([levelDbfs, toneMs], c) =>
    [false, true].map((telephoneEvent, e) => ({
      levelDbfs,
      toneMs,
      telephoneEvent,
      sdp: telephoneEvent ? 'PCMU + telephone-event' : 'PCMU only',
      // 6 keys a call, a different order each (and none of them a plausible log token)
      keys: ['3*58#0', '91#27*', '4*06#8', '7#1*93', '2*64#5', '0#9*81'][(c * 2 + e) % 6] ?? '',
    })),
  );

  it('the pcaps carry the tones the detector is to find (positive control)', () => {
    for (const { levelDbfs, toneMs, keys } of cases) {
      const found = dtmfInPcap(inBandPcap(keys, { levelDbfs, toneMs }).bytes);
      expect(found.digitString, `${levelDbfs} dBFS ${toneMs} ms`).toBe(keys);
      expect(found.toneMs).toBeGreaterThanOrEqual(keys.length * (toneMs - 10));
    }
  });

  it.each(
    cases,
  )('$levelDbfs dBFS, $toneMs ms, SDP $sdp: every key reported, 0 ms of tone at the agent', async ({
    levelDbfs,
    toneMs,
    telephoneEvent,
    keys,
  }) => {
    const pcap = inBandPcap(keys, { levelDbfs, toneMs, leadInMs: 300, tailMs: 300 });
    const result = await customerKeys(pcap, telephoneEvent);
    expect(result.keys.map((recorded) => recorded.key).join('')).toBe(keys);
    expect(new Set(result.keys.map((recorded) => recorded.callId))).toEqual(new Set([result.listed.id]));
    expectCleanAgent(result.agent);
  });
});

describe('digits the agent keys', () => {
  it('are reported with the agent tag and ignored: no customer key, the ignored count rises', async () => {
    const agentKeys = rfc4733Pcap('5867#', { leadInMs: 300, tailMs: 300 });
    const before = gateway.gateway.router.stats;
    const agent = await harness.startAgent({ keys: agentKeys });
    const customer = await harness.startCustomer({
      telephoneEvent: true,
      pcap: silentPcap(agentKeys.durationMs),
      holdMs: agentKeys.durationMs + 800,
    });
    await gateway.api.waitForCall(customer.sipCallId);
    await customer.sipp.succeeded(customer.holdMs + 15_000);
    await agent.sipp.succeeded(15_000);
    const after = gateway.gateway.router.stats;
    expect(gateway.keysOf(customer.sipCallId)).toBe('');
    expect(after.customer - before.customer).toBe(0);
    expect(after.agentIgnored - before.agentIgnored).toBe(agentKeys.keys.length);
    expect(after.unknownTag - before.unknownTag).toBe(0);
  });
});

describe('logs', () => {
  it('Kamailio, rtpengine and the gateway logged none of the keyed digits', () => {
    // every call above keyed a sequence (the scan below has something to find)
    expect(harness.keyed.length).toBeGreaterThanOrEqual(14);
    const sources = [
      ...Object.entries(STACK_LOGS).map(([name, path]) => logFile(name, path, logStart[name])),
      { name: 'gateway (in-process, trace)', text: gateway.logs.text() },
    ];
    for (const source of sources) expect(source.text.length, `${source.name} has lines`).toBeGreaterThan(0);
    // the scan does see a keyed sequence when one is there
    expect(findKeyedDigits([{ name: 'probe', text: `x ${harness.keyed[0]} y` }], harness.keyed)).toHaveLength(
      1,
    );
    expect(findKeyedDigits(sources, harness.keyed)).toEqual([]);
  });
});

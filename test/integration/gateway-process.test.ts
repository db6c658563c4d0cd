/**
 * Issue 3, tests 1 (the payment path), 3, 5 and 6 with the gateway as its own process (dist/main.js,
 * as deployed): keys are observed the only way the gateway shows them, as the agent view of a
 * payment (digit count, validity, last 4). SIGKILL is the crash case.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentAudioReport,
  describeAgentAudio,
  MAX_AGENT_DTMF_LEVEL_DBFS,
  MIN_AGENT_PACKET_SHARE,
} from '../support/agent-audio.js';
import { CallHarness } from '../support/call-harness.js';
import { rfc4733Pcap, silentPcap } from '../support/dtmf-pcap.js';
import { GatewayApi } from '../support/gateway-api.js';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';
import { findKeyedDigits, logEnd, logFile } from '../support/log-scan.js';
import { TEST_RUN_DIR as RUN_DIR, TEST_API_KEY, testGatewayEnv } from '../support/test-run.js';

const GATEWAY_LOG = join(RUN_DIR, 'gateway.log');
const HTTP_PORT = 8080;
/** Visa test card: Luhn-valid, 16 digits. */
const TEST_CARD = '4242424242424242';
const LOGS = {
  'kamailio.log': join(RUN_DIR, 'kamailio.log'),
  'rtpengine.log': join(RUN_DIR, 'rtpengine.log'),
  'gateway.log': GATEWAY_LOG,
};
/** Where each log ended before this file's calls: the scan reads what was written since. */
let logStart: Record<string, number> = {};

let harness: CallHarness;
let gatewayProcess: GatewayProcess | undefined;
const api = new GatewayApi(`http://127.0.0.1:${HTTP_PORT}`, TEST_API_KEY);

async function startGateway(): Promise<GatewayProcess> {
  gatewayProcess = await startGatewayProcess({
    env: testGatewayEnv(),
    logFile: GATEWAY_LOG,
    httpPort: HTTP_PORT,
  });
  return gatewayProcess;
}

/** SIGKILL, as a crash: no clean-up runs in the gateway. */
async function crashGateway(): Promise<void> {
  const running = gatewayProcess;
  gatewayProcess = undefined;
  await running?.kill();
  expect(running?.child.signalCode).toBe('SIGKILL');
}

beforeAll(async () => {
  logStart = Object.fromEntries(Object.entries(LOGS).map(([name, path]) => [name, logEnd(path)]));
  harness = await CallHarness.create({ name: 'gateway-process' });
  await startGateway();
});

afterAll(async () => {
  await harness?.cleanup();
  await gatewayProcess?.stop();
});

describe('customer keys through the real gateway process', () => {
  it(`a test card keyed as RFC 4733 fills the card number: 16 digits, valid, last 4 (each digit once)`, async () => {
    // 1.5 s of silence first: time to see the call and start the payment before the first key.
    const pcap = rfc4733Pcap(`${TEST_CARD}#`, { leadInMs: 1500, toneMs: 80, gapMs: 80, tailMs: 300 });
    const call = await harness.placeCall({ customer: { telephoneEvent: true, pcap } });
    const listed = await api.waitForCall(call.customer.sipCallId);
    const started = await api.startPayment(listed.id);
    expect(started.capture).toBe('payment-card-number');

    const captured = await api.waitForPayment(
      started.id,
      (view) => view.fields['payment-card-number']?.state === 'captured',
      pcap.durationMs + 2000,
    );
    expect(captured.fields['payment-card-number']).toMatchObject({
      digits: 16,
      valid: true,
      masked: `************${TEST_CARD.slice(-4)}`,
      brand: 'visa',
    });
    expect(captured.capture).toBe('expiration-date');

    await harness.finish(call);
    const ended = await api.waitForPayment(started.id, (view) => view.status !== 'in-progress');
    expect(ended).toMatchObject({ status: 'failed', errorType: 'caller-hung-up' });
    // nothing of the expiry field was keyed: no stray or duplicated digit went on after the #
    expect(ended.fields['expiration-date']?.digits ?? 0).toBe(0);
  });
});

describe('the gateway is killed mid-call', () => {
  it('the call goes on to a normal end and keys after the kill never reach the agent', async () => {
    // Keys start 2 s after the answer; the gateway dies as soon as it has listed the call.
    // Half of them RFC 4733, half in-band tones at -20 dBFS.
    const leadInMs = 2000;
    const pcap = rfc4733Pcap('5*1#29', { leadInMs, inBand: [1, 3, 5], levelDbfs: -20, tailMs: 300 });
    const call = await harness.placeCall({ customer: { telephoneEvent: true, pcap } });
    const customerStartedAt = performance.now();
    await api.waitForCall(call.customer.sipCallId);
    await crashGateway();
    const killedAfterMs = performance.now() - customerStartedAt;
    expect(killedAfterMs, 'the kill came before the first key').toBeLessThan(leadInMs - 300);
    await expect(fetch(`${api.baseUrl}/healthz`)).rejects.toThrow();

    await harness.finish(call); // both SIPps exit 0: answered, held, BYE answered
    const sink = call.agent.sink;
    if (!sink) throw new Error('agent without a sink');
    const agent = agentAudioReport(sink, pcap);
    const summary = describeAgentAudio(agent);
    expect(agent.packets, summary).toBeGreaterThanOrEqual(agent.customerPackets * MIN_AGENT_PACKET_SHARE);
    expect(agent.digitEvents, summary).toBe(0);
    expect(agent.toneMs, summary).toBe(0);
    expect(agent.maxDtmfLevelDbfs, summary).toBeLessThan(MAX_AGENT_DTMF_LEVEL_DBFS);

    await startGateway();
  });
});

describe('the gateway is killed mid-payment', () => {
  it('the customer stays muted toward the agent, and the restarted gateway lets the audio through', async () => {
    const call = await harness.placeCall({
      customer: { telephoneEvent: true, pcap: silentPcap(9000), holdMs: 9000 },
    });
    const sink = call.agent.sink;
    if (!sink) throw new Error('agent without a sink');
    const listed = await api.waitForCall(call.customer.sipCallId);
    await sink.waitForPackets(10, 5000);
    await api.startPayment(listed.id);
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await pause(300); // the mute, and what was on its way through the mask hop
    const atMute = sink.records.length;
    await crashGateway();
    await pause(1000);
    expect(sink.records.length - atMute, 'packets at the agent while muted, gateway dead').toBe(0);

    await startGateway();
    await api.waitForCall(call.customer.sipCallId);
    const atRestart = sink.records.length;
    await pause(1000);
    expect(sink.records.length - atRestart, 'packets at the agent after the restart').toBeGreaterThan(25);
    await harness.finish(call);
  });
});

describe('GET /v1/calls', () => {
  it('lists the call while it lasts, again after a gateway restart, and not after it ends', async () => {
    const call = await harness.placeCall({
      customer: { telephoneEvent: true, pcap: silentPcap(1000), holdMs: 5000 },
    });
    const listed = await api.waitForCall(call.customer.sipCallId);
    expect(listed).toMatchObject({
      direction: 'inbound',
      customer: '4479460000001',
      agent: 'agent-7',
      masking: 'on',
    });

    await crashGateway();
    await startGateway();
    // Rebuilt from Kamailio's dialog list: the same call, the same id and answer time.
    const relisted = await api.waitForCall(call.customer.sipCallId);
    expect(relisted).toEqual(listed);
    expect(call.customer.sipp.running, 'the call still lasts').toBe(true);

    await harness.finish(call);
    await api.waitForCallGone(call.customer.sipCallId, 3000);
  });
});

describe('logs', () => {
  it('Kamailio, rtpengine and the gateway process logged none of the keyed digits', () => {
    expect(harness.keyed).toContain(`${TEST_CARD}#`);
    const sources = Object.entries(LOGS).map(([name, path]) => logFile(name, path, logStart[name]));
    for (const source of sources) expect(source.text.length, `${source.name} has lines`).toBeGreaterThan(0);
    // the scan does see a card number when one is there
    expect(findKeyedDigits([{ name: 'probe', text: `pan=${TEST_CARD}` }], [])).toHaveLength(1);
    expect(findKeyedDigits(sources, harness.keyed)).toEqual([]);
  });
});

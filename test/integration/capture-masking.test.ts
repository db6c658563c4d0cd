/**
 * While a payment captures, the mask rtpengine holds the customer's audio longer (the gateway raises
 * its delay buffer from TONEWALL_MASK_DELAY_BUFFER to TONEWALL_CAPTURE_DELAY_BUFFER and lowers it after;
 * docs/media.md, "While a payment captures"). In-band tones from a customer whose packets get lost
 * (every 30th here) leak at the outside-capture setting (the masking matrix shows it; the table in
 * docs/media.md has the figures); here a whole payment keyed that way through the gateway, which
 * captures every key, while the agent gets 0 ms of tone and 0 digit events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAudioReport, describeAgentAudio } from '../support/agent-audio.js';
import { CallHarness } from '../support/call-harness.js';
import { type InProcessGateway, startInProcessGateway } from '../support/in-process-gateway.js';
import { layout } from '../support/media/layout.js';
import { layoutStream } from '../support/media/stream-layout.js';

const PAYMENT = '4242424242424242#1230#123#';

let gateway: InProcessGateway;
let harness: CallHarness;

beforeAll(async () => {
  // TW_TEST_CAPTURE_DELAY_BUFFER: to see this test go red at the outside-capture setting (50)
  const probe = process.env.TW_TEST_CAPTURE_DELAY_BUFFER;
  gateway = await startInProcessGateway(probe ? { TONEWALL_CAPTURE_DELAY_BUFFER: probe } : {});
  harness = await CallHarness.create({ name: 'capture-masking' });
});

afterAll(async () => {
  await harness?.cleanup();
  await gateway?.close();
});

describe('capture on a lossy in-band call', () => {
  it.each([
    { name: 'in-band −20 dBFS, every 30th packet lost', changes: { inBandDbfs: -20, loseEvery: 30 } },
    { name: 'in-band −40 dBFS, every 25th packet lost', changes: { inBandDbfs: -40, loseEvery: 25 } },
  ])('$name: every key captured, 0 ms of tone at the agent', async ({ name, changes }) => {
    const spec = layout(name, { events: false, offerTelephoneEvent: true, leadInMs: 2500, ...changes });
    const stream = layoutStream(PAYMENT, spec);
    const pcap = {
      bytes: stream.toPcap(),
      keys: PAYMENT,
      segments: stream.windows.map((w) => ({ digit: w.digit, startMs: w.startMs, endMs: w.endMs })),
      durationMs: stream.durationMs,
    };
    const call = await harness.placeCall({ customer: { telephoneEvent: true, pcap } });
    const listed = await gateway.api.waitForCall(call.customer.sipCallId);
    const payment = await gateway.api.startPayment(listed.id, { securityCode: true });
    const done = await gateway.api.waitForPayment(
      payment.id,
      (view) => view.status !== 'in-progress' && view.status !== 'processing',
      30_000,
    );
    await harness.finish(call);
    const agent = agentAudioReport(call.agent.sink ?? (await Promise.reject(new Error('no sink'))), pcap);
    expect(gateway.keysOf(call.customer.sipCallId)).toBe(PAYMENT);
    expect(done.status, JSON.stringify(done.result ?? {})).toBe('succeeded');
    expect(agent.digitEvents, describeAgentAudio(agent)).toBe(0);
    expect(agent.toneMs, describeAgentAudio(agent)).toBe(0);
    expect(agent.packets).toBeGreaterThan(0);
    // the gateway raised the mask hop's delay buffer and lowered it again, and said nothing of a failure
    expect(gateway.logs.text()).not.toContain('capture protection could not');
  });
});

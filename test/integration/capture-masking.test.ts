/**
 * While a payment captures, the gateway stops the customer's audio toward the agent on the mute hop
 * (`block media`) and lets it through again when the payment ends (docs/media.md, "While a payment
 * captures"). Here whole payments keyed through the gateway in the layouts that leak outside capture
 * (in-band tones after packet loss, keys sent both as events and tones): the gateway captures every
 * key, the agent gets 0 ms of tone, 0 digit events and no packet at all between the mute and the end
 * of the payment, and the customer's audio again after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAudioReport, describeAgentAudio } from '../support/agent-audio.js';
import { CallHarness } from '../support/call-harness.js';
import { type InProcessGateway, startInProcessGateway } from '../support/in-process-gateway.js';
import { type Layout, layout } from '../support/media/layout.js';
import { layoutStream } from '../support/media/stream-layout.js';
import { payWhileWatchingAgent } from '../support/muted-payment.js';

const PAYMENT = '4242424242424242#1230#123#';

let gateway: InProcessGateway;
let harness: CallHarness;

beforeAll(async () => {
  gateway = await startInProcessGateway();
  harness = await CallHarness.create({ name: 'capture-masking' });
});

afterAll(async () => {
  await harness?.cleanup();
  await gateway?.close();
});

const LAYOUTS: readonly { name: string; changes: Partial<Layout> }[] = [
  {
    name: 'in-band −20 dBFS, every 30th packet lost',
    changes: { events: false, inBandDbfs: -20, loseEvery: 30 },
  },
  {
    name: 'in-band −40 dBFS, every 25th packet lost',
    changes: { events: false, inBandDbfs: -40, loseEvery: 25 },
  },
  {
    name: 'both ways: events and the tone under them',
    changes: { audio: 'flowing', inBandUnderEvents: true, inBandDbfs: -20 },
  },
];

describe('capture mutes the customer toward the agent', () => {
  it.each(LAYOUTS)('$name: every key captured, nothing at the agent while capturing, audio after', async ({
    name,
    changes,
  }) => {
    const spec = layout(name, { offerTelephoneEvent: true, leadInMs: 2500, tailMs: 4000, ...changes });
    const stream = layoutStream(PAYMENT, spec);
    const pcap = {
      bytes: stream.toPcap(),
      keys: PAYMENT,
      segments: stream.windows.map((w) => ({ digit: w.digit, startMs: w.startMs, endMs: w.endMs })),
      durationMs: stream.durationMs,
    };
    const call = await harness.placeCall({ customer: { telephoneEvent: true, pcap } });
    const sink = call.agent.sink;
    if (!sink) throw new Error('the agent has no sink');
    const listed = await gateway.api.waitForCall(call.customer.sipCallId);
    const { done, atMute, atEnd } = await payWhileWatchingAgent(gateway.api, sink, listed.id, 30_000);
    await harness.finish(call);
    const agent = agentAudioReport(sink, pcap);
    expect(gateway.keysOf(call.customer.sipCallId)).toBe(PAYMENT);
    expect(done.status, JSON.stringify(done.result ?? {})).toBe('succeeded');
    expect(agent.digitEvents, describeAgentAudio(agent)).toBe(0);
    expect(agent.toneMs, describeAgentAudio(agent)).toBe(0);
    expect(atMute, 'the agent heard the customer before the payment').toBeGreaterThan(0);
    expect(atEnd - atMute, 'packets at the agent while the payment captured').toBe(0);
    expect(sink.records.length - atEnd, "the customer's audio after the payment").toBeGreaterThan(50);
    expect(gateway.logs.text()).not.toContain('could not be muted');
    expect(gateway.logs.text()).not.toContain('could not be let through');
  });
});

/**
 * Issue 14, item 4, through the gateway: baresip and Linphone as the customer each pay with a retry
 * (a card number that fails the Luhn check, then a good one, expiry and security code: 43 keys) while
 * the gateway captures, as RFC 4733 events and as in-band tones. The gateway must capture every key
 * in order and the payment succeed; the agent must get no digit event and no ms of DTMF tone over the
 * whole call, no packet at all between the mute and the end of the payment, and the phone's voice
 * before and after it. real-phones.test.ts keys the same phones outside any payment (the mask hop).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAudioReport, describeAgentAudio } from '../support/agent-audio.js';
import { CallHarness } from '../support/call-harness.js';
import { type InProcessGateway, startInProcessGateway } from '../support/in-process-gateway.js';
import { findKeyedDigits, logFile } from '../support/log-scan.js';
import { payWhileWatchingAgent } from '../support/muted-payment.js';
import { startBaresip } from '../support/phones/baresip-phone.js';
import { startLinphone } from '../support/phones/linphone-phone.js';
import type { DtmfMode, PhoneKind } from '../support/phones/phone.js';
import { interKeyMsFor, voiceMs } from '../support/phones/phone-call.js';
import { stopAllPhones } from '../support/phones/phone-process.js';

const AGENT_URI = 'sip:agent@127.0.0.1:5060';
/** A whole payment with a retry: a PAN that fails Luhn, the good PAN, expiry, security code. */
const PAYMENT_WITH_RETRY = '4242424242424241#4242424242424242#1230#123#';
/** Voice before the first key (the payment starts in it) and after the last (the unmute comes in it). */
const LEAD_MS = 3000;
const TAIL_MS = 3000;

let gateway: InProcessGateway;
let harness: CallHarness;
const phoneLogs: string[] = [];

beforeAll(async () => {
  gateway = await startInProcessGateway();
  harness = await CallHarness.create({ name: 'real-phones-payment' });
});

afterAll(async () => {
  await stopAllPhones();
  await harness?.cleanup();
  await gateway?.close();
});

const START: Record<PhoneKind, typeof startBaresip> = { baresip: startBaresip, linphone: startLinphone };

describe.each([
  { kind: 'baresip', mode: 'rfc4733' },
  { kind: 'baresip', mode: 'inband' },
  { kind: 'linphone', mode: 'rfc4733' },
  { kind: 'linphone', mode: 'inband' },
] as const satisfies readonly {
  kind: PhoneKind;
  mode: DtmfMode;
}[])('$kind pays through the gateway ($mode)', ({ kind, mode }) => {
  it('every key captured, the payment succeeds, the agent hears the phone but no key', async () => {
    const phone = await START[kind]({ name: 'real-phones-payment', mode });
    phoneLogs.push(phone.logFile);
    try {
      const agent = await harness.startAgent();
      const sink = agent.sink;
      if (!sink) throw new Error('the agent has no sink');
      harness.keyed.push(PAYMENT_WITH_RETRY);
      const known = new Set((await gateway.api.calls()).map((call) => call.id));
      const calling = phone.call({
        uri: AGENT_URI,
        keys: PAYMENT_WITH_RETRY,
        interKeyMs: interKeyMsFor(phone),
        leadMs: LEAD_MS,
        tailMs: TAIL_MS,
      });
      calling.catch(() => undefined); // awaited below; a failure before then must not go unhandled
      const listed = await gateway.api.waitForNewCall(known, `${kind}'s call`);
      const { done, atMute, atEnd } = await payWhileWatchingAgent(gateway.api, sink, listed.id, 60_000);
      const record = await calling;
      await agent.sipp.succeeded(15_000);
      await sink.waitForQuiet(200, 5000);

      const report = agentAudioReport(sink, { durationMs: record.endedAt - record.answeredAt });
      const summary = `${kind} ${mode}: ${describeAgentAudio(report)}, payment ${done.status}`;
      expect.soft(record.pressedAt, summary).toHaveLength(PAYMENT_WITH_RETRY.length);
      expect
        .soft(gateway.keysOf(listed.sipCallId) === PAYMENT_WITH_RETRY, `${summary}: captured = keyed`)
        .toBe(true);
      expect.soft(done.status, `${summary}: ${JSON.stringify(done.result ?? {})}`).toBe('succeeded');
      expect.soft(report.digitEvents, summary).toBe(0);
      expect.soft(report.toneMs, summary).toBe(0);
      expect.soft(report.detected.length, summary).toBe(0);
      expect.soft(atMute, `${summary}: the agent heard the phone before the payment`).toBeGreaterThan(0);
      expect.soft(atEnd - atMute, `${summary}: packets at the agent while capturing`).toBe(0);
      expect
        .soft(sink.records.length - atEnd, `${summary}: the phone's audio after the payment`)
        .toBeGreaterThan(50);
      expect
        .soft(voiceMs(sink.decodePcmu()), `${summary}: ms of the phone's voice`)
        .toBeGreaterThanOrEqual(1000);
      expect
        .soft(gateway.logs.text().includes('could not be muted'), `${summary}: the gateway failed to mute`)
        .toBe(false);
    } finally {
      await phone.stop();
    }
  });
});

describe('logs', () => {
  it("the gateway's and the phones' logs hold none of the keyed sequences", () => {
    expect(phoneLogs).toHaveLength(4);
    const sources = [
      { name: 'gateway', text: gateway.logs.text() },
      ...phoneLogs.map((path) => logFile(path, path)),
    ];
    for (const source of sources) expect(source.text.length, `${source.name} has lines`).toBeGreaterThan(0);
    expect(findKeyedDigits(sources, harness.keyed)).toEqual([]);
  });
});

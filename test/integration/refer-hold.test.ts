/**
 * Issue 18, item 2 on the real Kamailio and rtpengines: what a PBX does in the middle of a call
 * keeps masking on. A REFER from the PBX (test/sipp/agent-refers.xml) is relayed to the customer's
 * side, which answers 202 and a NOTIFY (test/sipp/customer-answers-in-dialog.xml: the referred call
 * failed, the call stays); hold and resume by re-INVITE, from the PBX (a=sendonly or a=inactive, then
 * a=sendrecv: agent-holds.xml) and from the customer (customer-holds.xml, answered by
 * agent-answers-hold.xml). Each time the call stays listed in its `agent` phase with its agent and
 * masking on, every key the customer sends after it reaches the gateway, and the PBX gets none of
 * them: 0 digit events, 0 ms of tone, while the customer's audio still reaches it. The agent header
 * never reaches the customer (its scenario fails the call if it does: the REFER and the 200 to the
 * NOTIFY carry one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAudioReport, describeAgentAudio, MIN_AGENT_PACKET_SHARE } from '../support/agent-audio.js';
import { CallHarness, type PlacedCall } from '../support/call-harness.js';
import { rfc4733Pcap } from '../support/dtmf-pcap.js';
import { until } from '../support/gateway-api.js';
import { type InProcessGateway, startInProcessGateway } from '../support/in-process-gateway.js';
import { type SippProcess, tracedMessages } from '../support/sipp.js';

const AGENT = 'agent-in-dialog';
/** A whole card, keyed after the REFER or the resume. */
const CARD_KEYS = '4242424242424242#1230#123#';
/** Key `1` 0.8 s after the answer, `2` 2 s later (during the hold), the card from 3.5 s after that. */
const PCAP = rfc4733Pcap(`12${CARD_KEYS}`, {
  leadInMs: 800,
  toneMs: 100,
  gapMs: 250,
  gapsMs: [2000, 3500],
  tailMs: 1500,
});
/** When the PBX (or the customer) acts, ms after the answer: between key 1 and key 2, then before the card. */
const FIRST_ACT_MS = 1800;
const SECOND_ACT_MS = 4000;
/** The card's first key, ms after the answer (0.8 + 0.1 + 2 + 0.1 + 3.5). */
const CARD_AT_MS = 6500;

let gateway: InProcessGateway;
let harness: CallHarness;

beforeAll(async () => {
  gateway = await startInProcessGateway();
  harness = await CallHarness.create({ name: 'refer-hold' });
});

afterAll(async () => {
  await harness?.cleanup();
  await gateway?.close();
});

/** Waits until a SIPp has received `count` messages whose first line matches `line`. */
function received(sipp: SippProcess, line: RegExp, count = 1): Promise<true> {
  return until(`${line} at ${sipp.name}`, 10_000, async () => {
    const seen = tracedMessages(sipp.messageFile ?? '').filter(
      (message) => message.direction === 'received' && line.test(message.firstLine),
    );
    return seen.length >= count ? true : undefined;
  });
}

/**
 * Ends the call, then holds the PBX's stream to masking: every key captured, the card after the
 * REFER or the resume among them, none at the PBX, the customer's audio there after it.
 */
async function checkMasked(call: PlacedCall, what: string): Promise<void> {
  await harness.finish(call);
  const sink = call.agent.sink;
  if (!sink) throw new Error('PBX without a sink');
  const report = agentAudioReport(sink, PCAP);
  const summary = `${what}: ${describeAgentAudio(report)}`;
  console.info(`refer-hold: ${summary}`);
  expect(gateway.keysOf(call.customer.sipCallId), summary).toBe(PCAP.keys);
  expect(report.digitEvents, summary).toBe(0);
  expect(report.toneMs, summary).toBe(0);
  expect(report.detected, summary).toBe('');
  // the customer's audio from the card on reached the PBX: the keys were masked, not the call cut
  const cardPackets = (PCAP.durationMs - CARD_AT_MS) / 20;
  expect(report.packets, summary).toBeGreaterThan(MIN_AGENT_PACKET_SHARE * cardPackets);
}

/** The call stays in its agent phase, with its agent, masked. */
async function expectAgentPhase(sipCallId: string, when: string): Promise<void> {
  expect(await gateway.api.callOf(sipCallId), when).toMatchObject({
    phase: 'agent',
    agent: AGENT,
    masking: 'on',
  });
}

describe('REFER from the PBX', () => {
  it('reaches the customer, who answers 202 and NOTIFY; the call keeps its agent and masking', async () => {
    const call = await harness.placeCall({
      agent: {
        agentId: AGENT,
        scenario: 'agent-refers.xml',
        vars: {
          refer_to: 'agent-refer-target',
          refer_ms: String(FIRST_ACT_MS),
          bye_ms: String(PCAP.durationMs - FIRST_ACT_MS + 300),
        },
      },
      customer: { telephoneEvent: true, pcap: PCAP, scenario: 'customer-answers-in-dialog.xml' },
    });
    await gateway.api.waitForCall(call.customer.sipCallId);
    await expectAgentPhase(call.customer.sipCallId, 'answered');
    // the PBX got the customer's 202 and its NOTIFY: the REFER went through Kamailio and back
    await received(call.agent.sipp, /^SIP\/2\.0 202 /);
    await received(call.agent.sipp, /^NOTIFY /);
    await expectAgentPhase(call.customer.sipCallId, 'after the REFER');
    await checkMasked(call, 'REFER');
  });
});

describe.each(['sendonly', 'inactive'] as const)('hold (a=%s) and resume from the PBX', (direction) => {
  it('the call keeps its agent and masking; the keys after the resume do not reach the PBX', async () => {
    const call = await harness.placeCall({
      agent: {
        agentId: AGENT,
        scenario: 'agent-holds.xml',
        vars: {
          hold_dir: direction,
          hold_ms: String(FIRST_ACT_MS),
          resume_ms: String(SECOND_ACT_MS - FIRST_ACT_MS),
          bye_ms: String(PCAP.durationMs - SECOND_ACT_MS + 300),
        },
      },
      customer: { telephoneEvent: true, pcap: PCAP, scenario: 'customer-answers-in-dialog.xml' },
    });
    await gateway.api.waitForCall(call.customer.sipCallId);
    await received(call.agent.sipp, /^SIP\/2\.0 200 /, 1);
    await expectAgentPhase(call.customer.sipCallId, 'on hold');
    await received(call.agent.sipp, /^SIP\/2\.0 200 /, 2);
    await expectAgentPhase(call.customer.sipCallId, 'resumed');
    await checkMasked(call, `PBX hold ${direction}`);
  });
});

describe('hold (a=inactive) and resume from the customer', () => {
  it('the call keeps its agent and masking; the keys after the resume do not reach the PBX', async () => {
    const call = await harness.placeCall({
      agent: { agentId: AGENT, scenario: 'agent-answers-hold.xml' },
      customer: {
        telephoneEvent: true,
        pcap: PCAP,
        scenario: 'customer-holds.xml',
        holdMs: PCAP.durationMs + 300,
        vars: {
          hold_dir: 'inactive',
          onhold_at_ms: String(FIRST_ACT_MS),
          onhold_for_ms: String(SECOND_ACT_MS - FIRST_ACT_MS),
          rest_ms: String(PCAP.durationMs - SECOND_ACT_MS + 300),
        },
      },
    });
    await gateway.api.waitForCall(call.customer.sipCallId);
    await received(call.agent.sipp, /^INVITE /, 2);
    await expectAgentPhase(call.customer.sipCallId, 'on hold');
    await received(call.agent.sipp, /^INVITE /, 3);
    await expectAgentPhase(call.customer.sipCallId, 'resumed');
    await checkMasked(call, 'customer hold inactive');
  });
});

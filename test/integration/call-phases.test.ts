/**
 * Issue 18, item 1 on the real Kamailio and rtpengines: call phases. With masking from the agent
 * (Kamailio's `tonewall.masking_from`, TONEWALL_MASKING_FROM=agent; this file sets it over JSON-RPC
 * and puts it back), a PBX whose IVR answers first (test/sipp/agent-ivr.xml: a 200 OK without
 * X-Agent-Id, then a re-INVITE naming the agent) gets the customer's menu keys as sent — RFC 4733
 * events — and none of the keys after the agent is named: no event, no tone. The gateway lists the
 * call in its `ivr` phase (no agent, unmasked, no payment may start), then in its `agent` phase with
 * the agent and masking on; a payment then starts. The header never reaches the customer
 * (test/sipp/customer-answers-reinvite.xml fails the call if it does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAudioReport, describeAgentAudio, eventDigits } from '../support/agent-audio.js';
import { CallHarness, type PlacedCall } from '../support/call-harness.js';
import { type DtmfPcap, rfc4733Pcap } from '../support/dtmf-pcap.js';
import { until } from '../support/gateway-api.js';
import { type InProcessGateway, startInProcessGateway } from '../support/in-process-gateway.js';
import { setMaskingFrom } from '../support/kamailio-rpc.js';

const AGENT = 'agent-after-ivr';
/** A whole card: number, expiry, security code, each field ended by #. */
const CARD_KEYS = '4242424242424242#1230#123#';

let gateway: InProcessGateway;
let harness: CallHarness;

beforeAll(async () => {
  await setMaskingFrom('agent');
  gateway = await startInProcessGateway();
  harness = await CallHarness.create({ name: 'call-phases' });
});

afterAll(async () => {
  await setMaskingFrom('answer');
  await harness?.cleanup();
  await gateway?.close();
});

/** A payment starts on the call (and is cancelled: nobody keys it). */
async function paymentStartsAndCancel(callId: string, idempotencyKey: string): Promise<void> {
  const payment = await gateway.api.startPayment(callId, { idempotencyKey });
  expect(payment.status).toBe('in-progress');
  await gateway.api.request('POST', `/v1/payments/${payment.id}`, { status: 'cancel' });
}

/** Ends the call as its scenarios do and reports what the PBX's sink received. */
async function pbxReceived(call: PlacedCall, pcap: DtmfPcap) {
  await harness.finish(call);
  const sink = call.agent.sink;
  if (!sink) throw new Error('PBX without a sink');
  return { sink, report: agentAudioReport(sink, pcap) };
}

describe('masking from the agent (an IVR answers first)', () => {
  it('menu keys reach the PBX; once the PBX names the agent, a whole card is captured and none of it gets through', async () => {
    // the menu keys 0.8 and 1.8 s after the answer; the PBX names the agent 2.3 s after it; the
    // card, its expiry and code from 4.9 s, a key every 350 ms
    const pcap = rfc4733Pcap(`12${CARD_KEYS}`, {
      leadInMs: 800,
      toneMs: 100,
      gapMs: 250,
      gapsMs: [900, 3000],
      tailMs: 1500,
    });
    const call = await harness.placeCall({
      agent: { agentId: AGENT, scenario: 'agent-ivr.xml', vars: { ivr_ms: '2300' } },
      // answers the PBX's re-INVITE; fails if X-Agent-Id reaches it
      customer: { telephoneEvent: true, pcap, scenario: 'customer-answers-reinvite.xml' },
    });
    const listed = await gateway.api.waitForCall(call.customer.sipCallId);
    expect(listed).toMatchObject({ phase: 'ivr', agent: '', masking: 'off' });
    // no payment while the IVR has the call: its keys would go to the PBX
    await expect(gateway.api.startPayment(listed.id, { idempotencyKey: 'phases-too-early' })).rejects.toThrow(
      /GW_ERR_MASKING_OFF/,
    );

    const connected = await until('the agent to be connected', 6000, async () => {
      const found = (await gateway.api.calls()).find((each) => each.id === listed.id);
      return found?.phase === 'agent' ? found : undefined;
    });
    expect(connected).toMatchObject({ phase: 'agent', agent: AGENT, masking: 'on' });
    const payment = await gateway.api.startPayment(listed.id, { idempotencyKey: 'phases-with-agent' });
    const paid = await gateway.api.waitForPayment(
      payment.id,
      (view) => view.status !== 'in-progress',
      20_000,
    );
    expect(paid.status).toBe('succeeded');
    const { sink, report } = await pbxReceived(call, pcap);
    // every key reached the gateway in order: the menu keys (no payment then: dropped), the card
    expect(gateway.keysOf(call.customer.sipCallId)).toMatch(/^(12)?4242424242424242#1230#123#$/);
    const summary = describeAgentAudio(report);
    // the menu keys as the customer sent them (events), nothing of the card keyed after the agent
    const digits = eventDigits(sink);
    expect(digits, summary).toBe('12');
    expect(report.toneMs, summary).toBe(0);
    expect(report.detected, summary).toBe('');
    console.info(`call phases: keys at the PBX ${digits} of ${pcap.keys}; ${summary}`);
  });

  it('an integration names the agent instead of the PBX (PUT /v1/calls/{id}/agent): masking on from then', async () => {
    const pcap = rfc4733Pcap('12345678', { leadInMs: 800, toneMs: 100, gapMs: 900, tailMs: 800 });
    const call = await harness.placeCall({
      agent: { agentId: 'unused', scenario: 'agent-ivr-only.xml' },
      customer: { telephoneEvent: true, pcap },
    });
    const listed = await gateway.api.waitForCall(call.customer.sipCallId);
    expect(listed).toMatchObject({ phase: 'ivr', agent: '', masking: 'off' });
    // after the customer's second menu key (1.8 s), before the third (2.8 s)
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const named = await gateway.api.request<{ phase: string; agent: string; masking: string }>(
      'PUT',
      `/v1/calls/${listed.id}/agent`,
      { agentId: 'agent-from-crm' },
    );
    expect(named).toMatchObject({ id: listed.id, phase: 'agent', agent: 'agent-from-crm', masking: 'on' });
    await paymentStartsAndCancel(listed.id, 'phases-named-by-api');
    const { sink, report } = await pbxReceived(call, pcap);
    const digits = eventDigits(sink);
    expect(digits, describeAgentAudio(report)).toBe('12');
    expect(report.toneMs, describeAgentAudio(report)).toBe(0);
    await expect(
      gateway.api.request('PUT', `/v1/calls/${listed.id}/agent`, { agentId: 'too-late' }),
    ).rejects.toThrow(/HTTP 404 .*GW_ERR_NOT_FOUND/);
  });

  it('a transfer to another agent moves the call, cancels its payment, and masking stays on', async () => {
    const pcap = rfc4733Pcap('4242424242', { leadInMs: 1500, toneMs: 100, gapMs: 500, tailMs: 800 });
    const call = await harness.placeCall({
      agent: {
        agentId: 'agent-before-transfer',
        scenario: 'agent-transfer.xml',
        vars: { transfer_to: 'agent-after-transfer', ivr_ms: '4000' },
      },
      customer: { telephoneEvent: true, pcap, scenario: 'customer-answers-reinvite.xml' },
    });
    const listed = await gateway.api.waitForCall(call.customer.sipCallId);
    expect(listed).toMatchObject({ phase: 'agent', agent: 'agent-before-transfer', masking: 'on' });
    const payment = await gateway.api.startPayment(listed.id, { idempotencyKey: 'phases-transfer' });
    const moved = await until('the transfer', 8000, async () => {
      const found = (await gateway.api.calls()).find((each) => each.id === listed.id);
      return found?.agent === 'agent-after-transfer' ? found : undefined;
    });
    expect(moved).toMatchObject({ phase: 'agent', masking: 'on' });
    const cancelled = await gateway.api.waitForPayment(
      payment.id,
      (view) => view.status !== 'in-progress',
      3000,
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', result: { outcome: 'cancelled' } });
    // the keys before and after the transfer, all masked; the second agent can take a payment
    await paymentStartsAndCancel(listed.id, 'phases-after-transfer');
    const { report } = await pbxReceived(call, pcap);
    expect(report.digitEvents, describeAgentAudio(report)).toBe(0);
    expect(report.toneMs, describeAgentAudio(report)).toBe(0);
    const audited = gateway.logs.text();
    expect(audited).toMatch(
      /"after":"agent".*"call agent connected"|"call agent connected".*"after":"agent"/,
    );
  });
});

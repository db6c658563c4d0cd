/**
 * Issue 8, hostile SIP on the real stack: SIPp customers send INVITEs with malformed SDP (garbage, no
 * c= or m=, bad ports and addresses, unknown codecs only, truncated bodies, a Content-Length that does
 * not match) and hang up abruptly (BYE right after the ACK, CANCEL while the agent rings, gone without
 * a BYE); the call-path scenarios nothing else runs (busy, re-INVITE, OPTIONS) run here too. Each
 * malformed offer must get a final error from Kamailio or the agent at once, never a hang; no call may
 * stay in Kamailio's dialogs, rtpengine or GET /v1/calls; and the gateway (dist/main.js) must stay up
 * and healthy and take a normal payment afterwards. What Kamailio answered is printed (`sip-hostile:`
 * lines) and written up in docs/operations.md ("Hostile SIP").
 *
 * Kamailio runs with dialog keep-alives for this file (TONEWALL_DLG_KEEPALIVE=30, as compose.yaml
 * sets for production; the scripts' default is off), so the customer who vanishes is found out;
 * afterAll restarts it with the defaults.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAudioReport, describeAgentAudio } from '../support/agent-audio.js';
import { type Agent, CallHarness, type CustomerScenario } from '../support/call-harness.js';
import { rfc4733Pcap } from '../support/dtmf-pcap.js';
import { GatewayApi, type PaymentView, until } from '../support/gateway-api.js';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';
import { findKeyedDigits, logEnd, logFile } from '../support/log-scan.js';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.js';
import type { SippProcess } from '../support/sipp.js';
import { tracedMessages } from '../support/sipp.js';
import { restartStackComponent } from '../support/stack.js';
import {
  DIALOG_DELETED,
  type KamailioDialog,
  kamailioDialogs,
  rtpengineCalls,
} from '../support/stack-state.js';
import { TEST_API_KEY, TEST_KEYS_DIR, TEST_RUN_DIR, testGatewayEnv } from '../support/test-run.js';

const HTTP_PORT = 8080;
const SANDBOX_PORT = 8443;
const KEEPALIVE_S = 30;
const GATEWAY_LOG = join(TEST_RUN_DIR, 'gateway-hostile.log');
const SANDBOX_LOG = join(TEST_RUN_DIR, 'sandbox-hostile.log');
const KAMAILIO_LOG = join(TEST_RUN_DIR, 'kamailio.log');
const RTPENGINE_LOG = join(TEST_RUN_DIR, 'rtpengine.log');
const EXPIRY = `12${String((new Date().getUTCFullYear() + 2) % 100).padStart(2, '0')}`;
const CARD = '4242424242424242';

const api = new GatewayApi(`http://127.0.0.1:${HTTP_PORT}`, TEST_API_KEY);
let harness: CallHarness;
let sandbox: SandboxProcess;
let gateway: GatewayProcess;
let logStart: Record<string, number> = {};
/** Every Call-ID this file's SIPp customers used: none may be left anywhere at the end. */
const callIds: string[] = [];

/** /healthz answers 200 with every component up, and the gateway process is the one started. */
async function expectHealthy(): Promise<void> {
  expect(gateway.child.exitCode, 'the gateway process is still running').toBeNull();
  const response = await fetch(`${api.baseUrl}/healthz`);
  const body = (await response.json()) as { components: Record<string, { status: string }> };
  const down = Object.entries(body.components).filter(([, component]) => component.status !== 'up');
  expect(down, JSON.stringify(body)).toEqual([]);
  expect(response.status).toBe(200);
}

/** Kamailio's dialogs but the ended ones (state 5), which it keeps a while after the BYE. */
async function liveDialogs(): Promise<KamailioDialog[]> {
  return (await kamailioDialogs()).filter((dialog) => dialog.state !== DIALOG_DELETED);
}

/** The call left no dialog in Kamailio, no live call in rtpengine (a deleted one goes ~30 s later) and no entry in GET /v1/calls. */
async function expectGone(sipCallId: string): Promise<void> {
  const dialogs = await liveDialogs();
  expect(dialogs.filter((dialog) => dialog.callId === sipCallId)).toEqual([]);
  const media = await rtpengineCalls();
  expect(media.filter((call) => call.callId === sipCallId && !call.deletionMarked)).toEqual([]);
  await api.waitForCallGone(sipCallId, 5000);
}

/**
 * Whether the agent took part: an agent that got the INVITE has its ACK and exits within
 * milliseconds of the customer's final answer; one still waiting a second later got nothing (killed).
 */
async function agentTookPart(agent: SippProcess): Promise<boolean> {
  const exited = await Promise.race([
    agent.exit.then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 1000)),
  ]);
  if (!exited) {
    await agent.kill();
    return false;
  }
  await agent.succeeded(0);
  return tracedMessages(agent.messageFile ?? '').some((message) => message.firstLine.startsWith('INVITE '));
}

/** An agent scenario and a customer scenario that end the call between them; both must exit 0. */
async function scenarioPair(agentScenario: string, customerScenario: string): Promise<CustomerScenario> {
  const agent = await harness.startAgentScenario({ scenario: agentScenario });
  const customer = await harness.startCustomerScenario({ scenario: customerScenario });
  callIds.push(customer.sipCallId);
  await customer.sipp.succeeded(10_000);
  await agent.succeeded(10_000);
  return customer;
}

/** The agent (agent-uas.xml, answering) and a customer who leaves as `hangup` says, right after the ACK. */
async function abruptCall(hangup: 'bye' | 'vanish'): Promise<{ agent: Agent; customer: CustomerScenario }> {
  const agent = await harness.startAgent({ agentId: 'agent-hostile' });
  const customer = await harness.startCustomerScenario({
    scenario: 'customer-abrupt-hangup.xml',
    vars: { hangup, hold_ms: '0' },
  });
  callIds.push(customer.sipCallId);
  await customer.sipp.succeeded(10_000);
  return { agent, customer };
}

beforeAll(async () => {
  logStart = {
    gateway: logEnd(GATEWAY_LOG),
    sandbox: logEnd(SANDBOX_LOG),
    kamailio: logEnd(KAMAILIO_LOG),
    rtpengine: logEnd(RTPENGINE_LOG),
  };
  await restartStackComponent('kamailio', { env: { TONEWALL_DLG_KEEPALIVE: String(KEEPALIVE_S) } });
  sandbox = await startSandboxProcess({ keysDir: TEST_KEYS_DIR, port: SANDBOX_PORT, logFile: SANDBOX_LOG });
  gateway = await startGatewayProcess({
    env: testGatewayEnv({ TONEWALL_PROCESSOR_URL: `https://127.0.0.1:${SANDBOX_PORT}/v1/tokens` }),
    logFile: GATEWAY_LOG,
    httpPort: HTTP_PORT,
  });
  harness = await CallHarness.create({ name: 'hostile' });
  await until('the gateway to see Kamailio', 5000, async () =>
    (await fetch(`${api.baseUrl}/healthz`)).status === 200 ? true : undefined,
  );
}, 60_000);

afterAll(async () => {
  await harness?.cleanup();
  await gateway?.stop();
  await sandbox?.stop();
  // the next test file gets Kamailio as global-setup made it: keep-alives off
  await restartStackComponent('kamailio');
}, 60_000);

const CRLF = '\r\n';
const sdp = (...lines: string[]) => lines.map((line) => `${line}${CRLF}`).join('');
const HEAD = ['v=0', 'o=customer 53655765 2353687637 IN IP4 127.0.0.1', 's=-'];
const CONNECTION = 'c=IN IP4 127.0.0.1';
const TIME = 't=0 0';
const PCMU = ['m=audio 42000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000'];
const VALID = sdp(...HEAD, CONNECTION, TIME, ...PCMU);

interface MalformedOffer {
  name: string;
  body: string;
  /** The Content-Length sent (default: the body's length). */
  contentLength?: number;
  /** What the customer gets, as measured on Kamailio 5.6.3 + rtpengine 10.5.3.5. */
  expected: { status: number; reason: string; by: 'kamailio' | 'agent' };
}

const BY_KAMAILIO_488 = { status: 488, reason: 'Not Acceptable Here', by: 'kamailio' } as const;
const BY_KAMAILIO_503 = { status: 503, reason: 'Media Relay Unavailable', by: 'kamailio' } as const;
const BY_AGENT_488 = { status: 488, reason: 'Not Acceptable Here', by: 'agent' } as const;
const LENGTH_MISMATCH = { status: 400, reason: 'Content-Length mis-match', by: 'kamailio' } as const;

const OFFERS: MalformedOffer[] = [
  { name: 'garbage, not SDP', body: sdp('this is not SDP at all', '%%%% {} <>'), expected: BY_KAMAILIO_488 },
  { name: 'no c= line', body: sdp(...HEAD, TIME, ...PCMU), expected: BY_KAMAILIO_488 },
  { name: 'no m= line', body: sdp(...HEAD, CONNECTION, TIME), expected: BY_KAMAILIO_488 },
  {
    name: 'm= port not a number',
    body: sdp(...HEAD, CONNECTION, TIME, 'm=audio abc RTP/AVP 0'),
    expected: BY_KAMAILIO_488,
  },
  {
    name: 'm= port 0 (audio disabled)',
    body: sdp(...HEAD, CONNECTION, TIME, 'm=audio 0 RTP/AVP 0'),
    expected: BY_KAMAILIO_488,
  },
  {
    name: 'video only',
    body: sdp(...HEAD, CONNECTION, TIME, 'm=video 42000 RTP/AVP 96', 'a=rtpmap:96 H264/90000'),
    expected: BY_KAMAILIO_488,
  },
  {
    name: 'truncated in the m= line',
    body: sdp(...HEAD, CONNECTION, TIME, 'm=aud'),
    expected: BY_KAMAILIO_488,
  },
  {
    name: 'm= port 99999',
    body: sdp(...HEAD, CONNECTION, TIME, 'm=audio 99999 RTP/AVP 0'),
    expected: BY_KAMAILIO_503,
  },
  {
    name: 'c= address 999.1.1.1',
    body: sdp(...HEAD, 'c=IN IP4 999.1.1.1', TIME, ...PCMU),
    expected: BY_KAMAILIO_503,
  },
  {
    name: 'unknown codecs only',
    body: sdp(...HEAD, CONNECTION, TIME, 'm=audio 42000 RTP/AVP 96', 'a=rtpmap:96 FOOBAR/8000'),
    expected: BY_AGENT_488,
  },
  {
    name: 'truncated in an a= line',
    body: sdp(...HEAD, CONNECTION, TIME, 'm=audio 42000 RTP/AVP 0', 'a=rtpm'),
    expected: BY_AGENT_488,
  },
  {
    name: 'IPv6 address (rtpengine has IPv4 only)',
    body: sdp(...HEAD, 'c=IN IP6 ::1', TIME, ...PCMU),
    expected: BY_AGENT_488,
  },
  {
    name: 'Content-Length 40 bytes too long',
    body: VALID,
    contentLength: Buffer.byteLength(VALID) + 40,
    expected: LENGTH_MISMATCH,
  },
  {
    name: 'Content-Length 30 bytes too short',
    body: VALID,
    contentLength: Buffer.byteLength(VALID) - 30,
    expected: LENGTH_MISMATCH,
  },
  {
    name: 'empty body',
    body: '',
    contentLength: 0,
    expected: { status: 488, reason: 'SDP Offer Required', by: 'kamailio' },
  },
];

describe('malformed SDP in the INVITE', () => {
  it.each(
    OFFERS,
  )('$name: a final $expected.status from the $expected.by, nothing left behind', async (offer) => {
    // an agent that refuses what it is offered, as a phone with no matching codec does
    const agent = await harness.startAgentScenario({ scenario: 'agent-reject-sdp.xml' });
    const startedAt = performance.now();
    const customer = await harness.startCustomerScenario({
      scenario: 'customer-malformed-sdp.xml',
      vars: {
        sdp: offer.body,
        content_length: String(offer.contentLength ?? Buffer.byteLength(offer.body)),
      },
      timeoutS: 20,
    });
    callIds.push(customer.sipCallId);
    // exit 0: the scenario got one of the final errors it accepts and sent the ACK
    await customer.sipp.succeeded(20_000);
    const ms = performance.now() - startedAt;
    const messages = tracedMessages(customer.sipp.messageFile ?? '');
    const final = messages.find(
      (message) => message.direction === 'received' && (message.status ?? 0) >= 200,
    );
    const agentGotInvite = await agentTookPart(agent);
    console.info(
      `sip-hostile: ${offer.name}: ${final?.firstLine.replace('SIP/2.0 ', '')} from the ${agentGotInvite ? 'agent (Kamailio and rtpengine passed it on)' : 'kamailio'} in ${Math.round(ms)} ms`,
    );
    expect(final?.firstLine).toBe(`SIP/2.0 ${offer.expected.status} ${offer.expected.reason}`);
    expect(agentGotInvite ? 'agent' : 'kamailio').toBe(offer.expected.by);
    expect(ms, 'answered at once, not after a timer').toBeLessThan(3000);
    await expectGone(customer.sipCallId);
  });

  it('the gateway stayed up and healthy and listed none of them', async () => {
    await expectHealthy();
    const listed = (await api.calls()).filter((call) => callIds.includes(call.sipCallId));
    expect(listed).toEqual([]);
  });
});

describe('abrupt hang-ups', () => {
  it('BYE right after the ACK: the call ends everywhere', async () => {
    const { agent, customer } = await abruptCall('bye');
    await agent.sipp.succeeded(10_000);
    await expectGone(customer.sipCallId);
    await expectHealthy();
  });

  it('CANCEL while the agent rings: 487, never listed, media released', async () => {
    const customer = await scenarioPair('agent-ring.xml', 'customer-cancel.xml');
    const statuses = tracedMessages(customer.sipp.messageFile ?? '')
      .filter((message) => message.direction === 'received')
      .map((message) => message.status);
    expect(statuses).toEqual(expect.arrayContaining([180, 200, 487]));
    await expectGone(customer.sipCallId);
    await expectHealthy();
  });

  it(`gone without a BYE: the dialog keep-alive (${KEEPALIVE_S} s) ends the call, the agent gets a BYE, the payment ends`, async () => {
    const { agent, customer } = await abruptCall('vanish');
    const vanishedAt = performance.now();
    // the gateway cannot tell yet: the call is listed, masked, and a payment can start on it
    const listed = await api.waitForCall(customer.sipCallId);
    expect(listed.masking).toBe('on');
    // ten 15 s first-digit timeouts: the payment must end by the hang-up, not by running out of attempts
    const payment = await api.startPayment(listed.id, { maxAttempts: 10 });
    expect(payment.status).toBe('in-progress');

    // Kamailio's OPTIONS to the customer time out (408); 10 s later it sends BYE both ways
    await agent.sipp.succeeded((KEEPALIVE_S + 40) * 1000);
    const agentSaw = tracedMessages(agent.sipp.messageFile ?? '').map((message) => message.firstLine);
    expect(agentSaw.some((line) => line.startsWith('BYE '))).toBe(true);
    await api.waitForCallGone(customer.sipCallId, 5000);
    const goneS = (performance.now() - vanishedAt) / 1000;
    const ended: PaymentView = await api.waitForPayment(payment.id, (view) => view.status !== 'in-progress');
    expect(ended).toMatchObject({ status: 'failed', result: { outcome: 'caller-hung-up' } });
    await expectGone(customer.sipCallId);
    console.info(
      `sip-hostile: customer gone without BYE: keep-alive OPTIONS ${agentSaw.filter((line) => line.startsWith('OPTIONS ')).length}× to the agent (answered), BYE to the agent and the call out of GET /v1/calls ${goneS.toFixed(1)} s after the customer vanished; payment ${ended.result?.outcome}`,
    );
  }, 120_000);
});

describe('the rest of the call path', () => {
  it('the agent is busy: 486 reaches the customer, the media is released', async () => {
    const customer = await scenarioPair('agent-busy.xml', 'customer-busy.xml');
    await expectGone(customer.sipCallId);
  });

  it('a re-INVITE mid-call goes through Kamailio and rtpengine; the call stays listed and masked', async () => {
    const call = await harness.placeCall({
      agent: { agentId: 'agent-hostile' },
      customer: {
        telephoneEvent: true,
        scenario: 'customer-reinvite.xml',
        pcap: rfc4733Pcap('', { leadInMs: 500, tailMs: 500 }),
        holdMs: 1500,
      },
    });
    callIds.push(call.customer.sipCallId);
    expect((await api.waitForCall(call.customer.sipCallId)).masking).toBe('on');
    await harness.finish(call);
    const reinvites = tracedMessages(call.agent.sipp.messageFile ?? '').filter((message) =>
      message.firstLine.startsWith('INVITE '),
    );
    expect(reinvites).toHaveLength(2);
    await expectGone(call.customer.sipCallId);
  });

  it('OPTIONS: Kamailio answers 200 itself', async () => {
    const ping = await harness.startCustomerScenario({ scenario: 'options.xml' });
    await ping.sipp.succeeded(5000);
    const statuses = tracedMessages(ping.sipp.messageFile ?? '').map((message) => message.status);
    expect(statuses).toContain(200);
  });
});

describe('after all of it', () => {
  it('the gateway is healthy, lists no dead call, and a normal call pays, masked', async () => {
    await expectHealthy();
    const dialogs = (await liveDialogs()).filter((dialog) => callIds.includes(dialog.callId));
    expect(dialogs).toEqual([]);
    const listed = (await api.calls()).filter((call) => callIds.includes(call.sipCallId));
    expect(listed).toEqual([]);

    const pcap = rfc4733Pcap(`${CARD}#${EXPIRY}123`, { leadInMs: 1500, toneMs: 80, gapMs: 200, tailMs: 500 });
    const call = await harness.placeCall({
      agent: { agentId: 'agent-hostile' },
      customer: { telephoneEvent: true, pcap },
    });
    const onCall = await api.waitForCall(call.customer.sipCallId);
    expect(onCall.masking).toBe('on');
    const payment = await api.startPayment(onCall.id, { securityCode: true });
    const done = await api.waitForPayment(
      payment.id,
      (view) => view.status !== 'in-progress' && view.status !== 'processing',
      20_000,
    );
    expect(done).toMatchObject({ status: 'succeeded', result: { outcome: 'success', last4: '4242' } });
    await harness.finish(call);
    const sink = call.agent.sink;
    if (!sink) throw new Error('agent without a sink');
    const heard = agentAudioReport(sink, call.customer.pcap);
    expect(heard.digitEvents, describeAgentAudio(heard)).toBe(0);
    expect(heard.toneMs, describeAgentAudio(heard)).toBe(0);
    await api.waitForCallGone(call.customer.sipCallId);
    expect(gateway.child.exitCode).toBeNull();
  }, 60_000);

  it('no keyed digit in the gateway, sandbox, Kamailio or rtpengine logs', () => {
    const sources = [
      logFile('gateway-hostile.log', GATEWAY_LOG, logStart.gateway),
      logFile('sandbox-hostile.log', SANDBOX_LOG, logStart.sandbox),
      logFile('kamailio.log', KAMAILIO_LOG, logStart.kamailio),
      logFile('rtpengine.log', RTPENGINE_LOG, logStart.rtpengine),
    ];
    expect(harness.keyed.length).toBeGreaterThan(0);
    expect(findKeyedDigits(sources, [...harness.keyed, CARD])).toEqual([]);
  });
});

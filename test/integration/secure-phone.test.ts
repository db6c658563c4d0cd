/**
 * Issue 18, item 3 on the real stack: baresip as the customer over SIP/TLS (Kamailio on 127.0.0.1:5061,
 * its certificate from the run's development CA, checked by the phone) with SRTP on the carrier leg —
 * SDES (RTP/SAVP, keys in the SDP) and DTLS-SRTP — pays through the gateway with a retry (43 keys,
 * RFC 4733). The edge rtpengine terminates SRTP and the hops after it carry RTP/AVP to the PBX (plain
 * RTP on the PBX leg: the SIPp agent's sink reads it). Every key captured in order, the payment
 * succeeds, the agent gets no digit event and no ms of DTMF tone, no packet while capturing, and the
 * phone's voice before and after. With the PBX leg on SDES SRTP (TONEWALL_PBX_SRTP=sdes, switched at
 * run time), the agent's sink gets SRTP from the mute hop; decrypted with the mute hop's key from the
 * PBX's own copy of the offer, it is the masked stream: silence, no key.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAudioReport, describeAgentAudio, eventDigits } from '../support/agent-audio.js';
import { CallHarness } from '../support/call-harness.js';
import { rfc4733Pcap } from '../support/dtmf-pcap.js';
import { until } from '../support/gateway-api.js';
import { type InProcessGateway, startInProcessGateway } from '../support/in-process-gateway.js';
import { setMaskingFrom, setPbxTransport } from '../support/kamailio-rpc.js';
import { findKeyedDigits, logFile } from '../support/log-scan.js';
import { payWhileWatchingAgent } from '../support/muted-payment.js';
import { startBaresip } from '../support/phones/baresip-phone.js';
import { interKeyMsFor, voiceMs } from '../support/phones/phone-call.js';
import { stopAllPhones } from '../support/phones/phone-process.js';
import { receivedInvite, srtpLegReport } from '../support/srtp-leg.js';
import { MUTE_NG_PORT, mediaProtocols } from '../support/test-ng.js';
import { TEST_KEYS_DIR } from '../support/test-run.js';

/** Kamailio's TLS listener (the account adds `;transport=tls`). */
const AGENT_URI = 'sip:agent@127.0.0.1:5061';
const PAYMENT_WITH_RETRY = '4242424242424241#4242424242424242#1230#123#';

let gateway: InProcessGateway;
let harness: CallHarness;
const phoneLogs: string[] = [];

beforeAll(async () => {
  gateway = await startInProcessGateway();
  harness = await CallHarness.create({ name: 'secure-phone' });
});

afterAll(async () => {
  await stopAllPhones();
  await harness?.cleanup();
  await gateway?.close();
});

describe.each([{ srtp: 'sdes' }, { srtp: 'dtls' }] as const)('baresip over TLS with SRTP ($srtp)', ({
  srtp,
}) => {
  it('pays with a retry: every key captured, the agent gets none', async () => {
    const phone = await startBaresip({
      name: `secure-phone-${srtp}`,
      mode: 'rfc4733',
      secure: { srtp, caFile: join(TEST_KEYS_DIR, 'ca.pem') },
    });
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
        leadMs: 3000,
        tailMs: 3000,
      });
      calling.catch(() => undefined);
      const listed = await gateway.api.waitForNewCall(known, 'the call');
      // what the edge rtpengine negotiated with the phone, asked while the call is up
      const protocols = await mediaProtocols(listed.sipCallId);
      const { done, atMute, atEnd } = await payWhileWatchingAgent(gateway.api, sink, listed.id, 60_000);
      const record = await calling;
      await agent.sipp.succeeded(15_000);
      await sink.waitForQuiet(200, 5000);

      const report = agentAudioReport(sink, { durationMs: record.endedAt - record.answeredAt });
      const summary = `TLS + ${srtp}: ${describeAgentAudio(report)}, payment ${done.status}`;
      console.info(`secure phone: ${summary}`);
      expect
        .soft(gateway.keysOf(listed.sipCallId) === PAYMENT_WITH_RETRY, `${summary}: captured = keyed`)
        .toBe(true);
      expect.soft(done.status, summary).toBe('succeeded');
      expect.soft(report.digitEvents, summary).toBe(0);
      expect.soft(report.toneMs, summary).toBe(0);
      expect.soft(atMute, `${summary}: the agent heard the phone before the payment`).toBeGreaterThan(0);
      expect.soft(atEnd - atMute, `${summary}: packets at the agent while capturing`).toBe(0);
      expect
        .soft(voiceMs(sink.decodePcmu()), `${summary}: ms of the phone's voice`)
        .toBeGreaterThanOrEqual(1000);
      // the phone's leg really was SRTP (the edge's own view of the call), the agent's plain RTP;
      // and the phone spoke SIP over TLS to Kamailio (its log names the transport it connected with)
      // (baresip's DTLS-SRTP offers the feedback profile, UDP/TLS/RTP/SAVPF)
      const phoneLeg = srtp === 'sdes' ? /^RTP\/SAVP$/ : /^UDP\/TLS\/RTP\/SAVPF?$/;
      expect(protocols, summary).toEqual(
        expect.arrayContaining([expect.stringMatching(phoneLeg), 'RTP/AVP']),
      );
      console.info(`secure phone: ${srtp}: the edge's media ${protocols.join(', ')}`);
      const log = logFile(phone.logFile, phone.logFile).text;
      expect(log, `${summary}: SIP over TLS`).toMatch(/transport=tls/);
      expect(log, `${summary}: the phone's media encryption`).not.toMatch(/mediaenc not found/);
    } finally {
      await phone.stop();
    }
  });
});

describe('an SRTP customer through an IVR (masking from the agent)', () => {
  it("the PBX's re-INVITE naming the agent keeps the call up and encrypted; menu keys reach the PBX, later keys do not", async () => {
    await setMaskingFrom('agent');
    const phone = await startBaresip({
      name: 'secure-phone-ivr',
      mode: 'rfc4733',
      secure: { srtp: 'sdes', caFile: join(TEST_KEYS_DIR, 'ca.pem') },
    });
    phoneLogs.push(phone.logFile);
    try {
      const agent = await harness.startAgent({
        agentId: 'agent-srtp-ivr',
        scenario: 'agent-ivr.xml',
        vars: { ivr_ms: '3000' },
      });
      const sink = agent.sink;
      if (!sink) throw new Error('the agent has no sink');
      const known = new Set((await gateway.api.calls()).map((call) => call.id));
      // keys 0.8, 2.3, 3.8 and 5.3 s after the answer; the PBX names the agent at 3 s
      const calling = phone.call({
        uri: AGENT_URI,
        keys: '1234',
        interKeyMs: 1500,
        leadMs: 800,
        tailMs: 2500,
      });
      calling.catch(() => undefined);
      const listed = await gateway.api.waitForNewCall(known, 'the call');
      expect(listed).toMatchObject({ phase: 'ivr', masking: 'off' });
      const connected = await until('the agent connected', 8000, async () => {
        const found = (await gateway.api.calls()).find((call) => call.id === listed.id);
        return found?.phase === 'agent' ? found : undefined;
      });
      expect(connected).toMatchObject({ agent: 'agent-srtp-ivr', masking: 'on' });
      const protocols = await mediaProtocols(listed.sipCallId);
      const record = await calling;
      await agent.sipp.succeeded(15_000);
      await sink.waitForQuiet(200, 5000);
      const report = agentAudioReport(sink, { durationMs: record.endedAt - record.answeredAt });
      const summary = `SRTP customer through an IVR: ${describeAgentAudio(report)}; edge ${protocols.join(', ')}`;
      console.info(`secure phone: ${summary}`);
      // still SRTP after the re-INVITE, the call lasted as planned, the menu keys and nothing after
      expect(protocols, summary).toEqual(expect.arrayContaining(['RTP/SAVP', 'RTP/AVP']));
      expect(record.endedAt - record.answeredAt, summary).toBeGreaterThan(7000);
      const digits = eventDigits(sink);
      expect(digits, summary).toBe('12');
      expect(report.toneMs, summary).toBe(0);
      expect(voiceMs(sink.decodePcmu()), `${summary}: the phone's voice`).toBeGreaterThanOrEqual(1000);
    } finally {
      await setMaskingFrom('answer');
      await phone.stop();
    }
  });
});

describe('SRTP on the PBX leg (SDES)', () => {
  it('the mute hop sends the agent SRTP; decrypted, it is the masked stream: silence, no key', async () => {
    await setPbxTransport('RTP/SAVP');
    try {
      const pcap = rfc4733Pcap('4242424242424242#1230#123#', { leadInMs: 800, tailMs: 800 });
      const call = await harness.placeCall({
        agent: { agentId: 'agent-srtp-pbx', scenario: 'agent-uas-srtp.xml' },
        customer: { telephoneEvent: true, pcap },
      });
      const listed = await gateway.api.waitForCall(call.customer.sipCallId);
      expect(listed).toMatchObject({ masking: 'on' });
      const pbxLeg = await mediaProtocols(listed.sipCallId, MUTE_NG_PORT);
      await harness.finish(call);
      const sink = call.agent.sink;
      if (!sink) throw new Error('the agent has no sink');
      // the mute hop's key: its offer, as the PBX received it
      const leg = srtpLegReport(sink.records, receivedInvite(call.agent.sipp.messageFile));
      const summary = `PBX leg ${pbxLeg.join(', ')}: ${leg.audioPackets} packets, ${(leg.silenceShare * 100).toFixed(1)} % PCMU silence decrypted, digit events '${leg.digits}', ${leg.toneMs} ms of tone`;
      console.info(`secure phone: ${summary}`);
      expect(pbxLeg, summary).toContain('RTP/SAVP');
      expect(leg.audioPackets, summary).toBeGreaterThan(100);
      // the customer sent silence and events: decrypted with the right key the agent's audio is
      // silence (the edge dropped the events); with a wrong key it would be noise
      expect(leg.silenceShare, summary).toBeGreaterThan(0.95);
      expect(leg.digits, summary).toBe('');
      expect(leg.toneMs, summary).toBe(0);
    } finally {
      await setPbxTransport('RTP/AVP');
    }
  });
});

describe('logs', () => {
  it("the gateway's and the phone's logs hold none of the keyed sequences", () => {
    const sources = [
      { name: 'gateway', text: gateway.logs.text() },
      ...phoneLogs.map((path) => logFile(path, path)),
    ];
    expect(findKeyedDigits(sources, harness.keyed)).toEqual([]);
  });
});

/**
 * Issue 18, item 3 on the real stack: SRTP that tonewall offers, rather than answers.
 *
 * - DTLS-SRTP toward the PBX (TONEWALL_PBX_SRTP=dtls, Kamailio's `tonewall.pbx_transport`, switched
 *   here at run time): the mute hop offers UDP/TLS/RTP/SAVP with its fingerprint; the PBX is baresip
 *   (test/support/phones/baresip-answerer.ts), which does the DTLS handshake with the mute hop and
 *   decrypts. A plain baresip customer keys a whole card: every key captured, and in what the PBX
 *   decoded the customer's voice and not one key (no RFC 4733 event, no ms of DTMF tone). Control:
 *   the same call in an IVR phase (masking from the agent, no agent named) brings the keys to that
 *   PBX as events, so its event count is not blind.
 * - SRTP toward the carrier on outbound calls (TONEWALL_CARRIER_SRTP, `tonewall.carrier_transport`):
 *   the PBX dials out (test/sipp/pbx-calls-out.xml from 127.0.0.2, the agent's audio: silence and
 *   the agent's own keys 9 7 5, which are not masked); with `sdes` the edge offers RTP/SAVP and the
 *   carrier, a SIPp at 127.0.0.3:5080 answering with a key of its own (agent-uas-srtp.xml), gets
 *   SRTP that decrypts with the edge's offer key to PCMU silence and the events 9 7 5; with `dtls` a
 *   baresip carrier does DTLS-SRTP with the edge and receives the three keys. And the carrier's own
 *   keys (carrier-keys-srtp.xml plays a whole card as SRTP, encrypted and signed here with its
 *   answer's key): the edge decrypts them, every key is captured, the PBX gets none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentAudioReport, describeAgentAudio, MIN_AGENT_PACKET_SHARE } from '../support/agent-audio.js';
import { CallHarness } from '../support/call-harness.js';
import { rfc4733Pcap, silentPcap } from '../support/dtmf-pcap.js';
import { type InProcessGateway, startInProcessGateway } from '../support/in-process-gateway.js';
import {
  type LegTransport,
  setCarrierTransport,
  setMaskingFrom,
  setPbxTransport,
} from '../support/kamailio-rpc.js';
import { findKeyedDigits, logFile } from '../support/log-scan.js';
import { detectDtmf } from '../support/media/dtmf-detector.js';
import { RtpSink } from '../support/media/rtp-sink.js';
import { sdesMasterKey, srtpPcap } from '../support/media/srtp.js';
import { startBaresipAnswerer } from '../support/phones/baresip-answerer.js';
import { startBaresip } from '../support/phones/baresip-phone.js';
import { interKeyMsFor, voiceMs } from '../support/phones/phone-call.js';
import { stopAllPhones } from '../support/phones/phone-process.js';
import { SIPP_SCENARIO_DIR } from '../support/sipp.js';
import { receivedInvite, srtpLegReport } from '../support/srtp-leg.js';
import { MUTE_NG_PORT, mediaProtocols } from '../support/test-ng.js';

const CARD_KEYS = '4242424242424242#1230#123#';
/** The agent's own keys on an outbound call (not masked: only the customer's are). */
const AGENT_KEYS = '975';
/** The carrier of an outbound call (TONEWALL_CARRIER_TARGET in the suite's stack). */
const CARRIER = { address: '127.0.0.3', port: 5080 };

let gateway: InProcessGateway;
/** Outbound calls: its "customer" is the PBX dialling out (127.0.0.2), its "agent" the carrier. */
let outbound: CallHarness;
const logs: string[] = [];
const keyed: string[] = [];

beforeAll(async () => {
  gateway = await startInProcessGateway();
  outbound = await CallHarness.create({
    name: 'srtp-legs-out',
    agentSip: CARRIER,
    customerAddress: '127.0.0.2',
  });
});

afterAll(async () => {
  await stopAllPhones();
  await outbound?.cleanup();
  await gateway?.close();
});

/** pbx-calls-out.xml's media address (an RTP sink's), and whether it plays its pcap. */
function sinkVars(sink: RtpSink, speaks = true): Record<string, string> {
  return { sink_ip: sink.address.address, sink_port: String(sink.address.port), speaks: speaks ? '1' : '0' };
}

/** Runs `body` with one of Kamailio's transports set, and puts it back to RTP/AVP. */
async function withTransport<T>(
  set: (value: LegTransport) => Promise<void>,
  value: LegTransport,
  body: () => Promise<T>,
): Promise<T> {
  await set(value);
  try {
    return await body();
  } finally {
    await set('RTP/AVP');
  }
}

/** A plain baresip customer keys `keys` to a baresip PBX on DTLS-SRTP; what the PBX got. */
async function callDtlsPbx(name: string, keys: string) {
  const pbx = await startBaresipAnswerer({ name, address: '127.0.0.2', port: 5080, user: 'agent' });
  const phone = await startBaresip({ name: `${name}-customer`, mode: 'rfc4733' });
  logs.push(pbx.logFile, phone.logFile);
  keyed.push(keys);
  try {
    const known = new Set((await gateway.api.calls()).map((call) => call.id));
    const calling = phone.call({
      uri: 'sip:agent@127.0.0.1:5060',
      keys,
      interKeyMs: interKeyMsFor(phone),
      leadMs: 2000,
      tailMs: 2000,
    });
    calling.catch(() => undefined);
    const listed = await gateway.api.waitForNewCall(known, 'the call');
    await pbx.established(5000);
    const pbxLeg = await mediaProtocols(listed.sipCallId, MUTE_NG_PORT);
    await calling;
    await pbx.closed(5000);
    const pcm = pbx.decodedPcm();
    const tones = detectDtmf(pcm);
    const result = {
      listed,
      pbxLeg,
      captured: gateway.keysOf(listed.sipCallId),
      events: pbx.dtmfEvents(),
      voiceMs: voiceMs(pcm),
      toneMs: tones.toneMs,
      detected: tones.digitString,
    };
    console.info(
      `srtp-legs: ${name}: PBX leg ${pbxLeg.join(', ')}; the PBX decoded ${pcm.length / 8} ms, ${result.voiceMs} ms of voice, ${result.toneMs} ms of DTMF tone, ${result.events} digit events`,
    );
    return result;
  } finally {
    await phone.stop();
    await pbx.stop();
  }
}

describe('DTLS-SRTP on the PBX leg (TONEWALL_PBX_SRTP=dtls)', () => {
  it("a baresip PBX does DTLS-SRTP with the mute hop and hears the customer's voice, none of a whole card", async () => {
    const got = await withTransport(setPbxTransport, 'UDP/TLS/RTP/SAVP', () =>
      callDtlsPbx('srtp-legs-dtls-pbx', CARD_KEYS),
    );
    expect(got.listed).toMatchObject({ masking: 'on' });
    expect(got.pbxLeg).toEqual(expect.arrayContaining(['UDP/TLS/RTP/SAVP', 'RTP/AVP']));
    expect(got.captured).toBe(CARD_KEYS);
    // media flowed over DTLS-SRTP (baresip decodes nothing it cannot decrypt) ...
    expect(got.voiceMs).toBeGreaterThanOrEqual(1000);
    // ... and held no key
    expect(got.events).toBe(0);
    expect(got.toneMs).toBe(0);
    expect(got.detected).toBe('');
  });

  it('control: in an IVR phase (no masking yet) the same PBX receives the keys as events', async () => {
    await setMaskingFrom('agent');
    try {
      const got = await withTransport(setPbxTransport, 'UDP/TLS/RTP/SAVP', () =>
        callDtlsPbx('srtp-legs-dtls-ivr', '12'),
      );
      expect(got.listed).toMatchObject({ phase: 'ivr', masking: 'off' });
      expect(got.pbxLeg).toContain('UDP/TLS/RTP/SAVP');
      expect(got.events).toBe(2);
    } finally {
      await setMaskingFrom('answer');
    }
  });
});

describe('SRTP toward the carrier on outbound calls (TONEWALL_CARRIER_SRTP)', () => {
  const pcap = rfc4733Pcap(AGENT_KEYS, { leadInMs: 1000, gapMs: 400, tailMs: 1500 });
  /** What the agent hears on an outbound call (pbx-calls-out.xml's media). */
  let pbxSink: RtpSink;

  beforeEach(async () => {
    pbxSink = await RtpSink.open({ address: '127.0.0.2' });
  });

  afterEach(async () => {
    await pbxSink.close();
  });

  it('sdes: the edge offers RTP/SAVP; what reaches the carrier decrypts with its key', async () => {
    await withTransport(setCarrierTransport, 'RTP/SAVP', async () => {
      const call = await outbound.placeCall({
        agent: { agentId: 'unused', scenario: 'agent-uas-srtp.xml' },
        customer: { telephoneEvent: true, pcap, scenario: 'pbx-calls-out.xml', vars: sinkVars(pbxSink) },
      });
      const listed = await gateway.api.waitForCall(call.customer.sipCallId);
      expect(listed).toMatchObject({ direction: 'outbound', agent: 'agent-dialling-out', masking: 'on' });
      const edge = await mediaProtocols(listed.sipCallId);
      await outbound.finish(call);
      const sink = call.agent.sink;
      if (!sink) throw new Error('the carrier has no sink');
      const offer = receivedInvite(call.agent.sipp.messageFile);
      const leg = srtpLegReport(sink.records, offer);
      const summary = `carrier leg ${edge.join(', ')}: ${leg.audioPackets} packets, ${(leg.silenceShare * 100).toFixed(1)} % PCMU silence decrypted, events '${leg.digits}'`;
      console.info(`srtp-legs: ${summary}`);
      expect(offer, summary).toMatch(/^m=audio \d+ RTP\/SAVP /m);
      expect(edge, summary).toEqual(expect.arrayContaining(['RTP/SAVP', 'RTP/AVP']));
      expect(leg.audioPackets, summary).toBeGreaterThan(100);
      // the PBX sent silence and the agent's keys: with the right key, silence and those keys
      expect(leg.silenceShare, summary).toBeGreaterThan(0.95);
      expect(leg.digits, summary).toBe(AGENT_KEYS);
    });
  });

  it("sdes: the carrier's own keys, sent as SRTP, are captured and none reaches the PBX", async () => {
    await withTransport(setCarrierTransport, 'RTP/SAVP', async () => {
      const keys = rfc4733Pcap(CARD_KEYS, { leadInMs: 1000, tailMs: 1000 });
      // carrier-keys-srtp.xml answers with this key and plays the pcap encrypted with it
      const scenario = readFileSync(join(SIPP_SCENARIO_DIR, 'carrier-keys-srtp.xml'), 'utf8');
      const inline = /AES_CM_128_HMAC_SHA1_80 inline:(\S+)/.exec(scenario)?.[1];
      const carrierKey = sdesMasterKey(`a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${inline}`);
      const call = await outbound.placeCall({
        agent: {
          scenario: 'carrier-keys-srtp.xml',
          keys: { ...keys, bytes: srtpPcap(keys.bytes, carrierKey) },
        },
        customer: {
          telephoneEvent: true,
          pcap: silentPcap(keys.durationMs + 500),
          scenario: 'pbx-calls-out.xml',
          vars: sinkVars(pbxSink, false),
        },
      });
      const listed = await gateway.api.waitForCall(call.customer.sipCallId);
      expect(listed).toMatchObject({ direction: 'outbound', masking: 'on' });
      const edge = await mediaProtocols(listed.sipCallId);
      await outbound.finish(call);
      await pbxSink.waitForQuiet(200, 5000);
      const report = agentAudioReport(pbxSink, keys);
      const summary = `carrier leg ${edge.join(', ')}: keys captured '${gateway.keysOf(listed.sipCallId).length}' of ${CARD_KEYS.length}; at the PBX ${describeAgentAudio(report)}`;
      console.info(`srtp-legs: ${summary}`);
      expect(edge, summary).toEqual(expect.arrayContaining(['RTP/SAVP', 'RTP/AVP']));
      // the edge decrypted the carrier's SRTP (a wrong tag is dropped) and reported every key
      expect(gateway.keysOf(listed.sipCallId), summary).toBe(CARD_KEYS);
      expect(report.packets, summary).toBeGreaterThan(MIN_AGENT_PACKET_SHARE * (keys.durationMs / 20));
      expect(report.digitEvents, summary).toBe(0);
      expect(report.toneMs, summary).toBe(0);
    });
  });

  it('dtls: the edge offers UDP/TLS/RTP/SAVP; a baresip carrier does DTLS-SRTP and gets the call', async () => {
    await withTransport(setCarrierTransport, 'UDP/TLS/RTP/SAVP', async () => {
      const carrier = await startBaresipAnswerer({
        name: 'srtp-legs-dtls-carrier',
        ...CARRIER,
        user: '1000',
      });
      logs.push(carrier.logFile);
      try {
        const pbx = await outbound.startCustomer({
          telephoneEvent: true,
          pcap,
          scenario: 'pbx-calls-out.xml',
          vars: sinkVars(pbxSink),
        });
        const listed = await gateway.api.waitForCall(pbx.sipCallId);
        expect(listed).toMatchObject({ direction: 'outbound', masking: 'on' });
        await carrier.established(5000);
        const edge = await mediaProtocols(listed.sipCallId);
        await pbx.sipp.succeeded(pbx.holdMs + 15_000);
        await carrier.closed(5000);
        const summary = `carrier leg ${edge.join(', ')}: the carrier decoded ${carrier.decodedPcm().length / 8} ms, ${carrier.dtmfEvents()} digit events`;
        console.info(`srtp-legs: ${summary}`);
        expect(edge, summary).toEqual(expect.arrayContaining(['UDP/TLS/RTP/SAVP', 'RTP/AVP']));
        expect(carrier.decodedPcm().length, summary).toBeGreaterThan(8000);
        expect(carrier.dtmfEvents(), summary).toBe(AGENT_KEYS.length);
      } finally {
        await carrier.stop();
      }
    });
  });
});

describe('logs', () => {
  it("the gateway's and the phones' logs hold none of the keyed sequences", () => {
    const sources = [
      { name: 'gateway', text: gateway.logs.text() },
      ...logs.map((path) => logFile(path, path)),
    ];
    expect(findKeyedDigits(sources, [...keyed, ...outbound.keyed])).toEqual([]);
  });
});

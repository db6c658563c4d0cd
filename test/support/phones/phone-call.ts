/**
 * One payment keyed by a real phone through the stack: the CallHarness agent (SIPp UAS whose SDP
 * points at an RTP sink) answers, the phone keys, hangs up; then what the agent received is
 * measured whole, and rtpengine's DTMF reports for the call are read (the positive control that the
 * phone did send the keys: the edge reports RFC 4733 events, the mask hop the in-band tones it
 * detects). Used by test/integration/real-phones.test.ts and test/support/phones/phones-check.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { type AgentAudioReport, agentAudioReport } from '../agent-audio.js';
import type { CallHarness } from '../call-harness.js';
import type { DtmfReports } from '../dtmf-reports.js';
import { detectDtmf } from '../media/dtmf-detector.js';
import { decodePcmu } from '../media/g711.js';
import { goertzelLevelDbfs } from '../media/goertzel.js';
import { readPcap } from '../media/pcap-reader.js';
import { PAYLOAD_TYPE_PCMU, parseRtpPacket, type RtpPacket } from '../media/rtp.js';
import { telephoneEventsOf } from '../media/rtp-analysis.js';
import { concatPcm } from '../media/signal.js';
import { type CallPlan, type CallRecord, type Phone, sleep, VOICE_DBFS, VOICE_HZ } from './phone.js';

/** The Call-ID and From tag of the INVITE the agent received (from its SIPp message trace). */
export function inviteIdentity(messageFile: string | undefined): { callId: string; fromTag: string } {
  if (!messageFile || !existsSync(messageFile)) throw new Error('the agent kept no message trace');
  const text = readFileSync(messageFile, 'utf8');
  const at = text.search(/^INVITE sip:/m);
  if (at < 0) throw new Error(`no INVITE in ${messageFile}`);
  const invite = text.slice(at, at + 4000);
  const callId = /^(?:Call-ID|i)\s*:\s*(\S+)/im.exec(invite)?.[1];
  const fromLine = /^(?:From|f)\s*:(.*)$/im.exec(invite)?.[1] ?? '';
  const fromTag = /;\s*tag=([^;>\s]+)/i.exec(fromLine)?.[1];
  if (!callId || !fromTag) throw new Error(`no Call-ID or From tag in the INVITE of ${messageFile}`);
  return { callId, fromTag };
}

export interface PhonePaymentResult {
  readonly phone: string;
  readonly mode: Phone['mode'];
  readonly keys: string;
  readonly record: CallRecord;
  readonly callId: string;
  readonly fromTag: string;
  /** What the agent received (the whole call). */
  readonly agent: AgentAudioReport;
  /** ms of the phone's 400 Hz voice the agent heard (20 ms blocks ≥ −30 dBFS at 400 Hz). */
  readonly voiceMsAtAgent: number;
  /** rtpengine's reports for this call's Call-ID and the phone's From tag, keys in order. */
  readonly reported: string;
  /** Reports of other calls or tags that arrived while this one ran (should be none). */
  readonly strayReports: number;
}

/** ms of 400 Hz voice in a PCM signal: 20 ms blocks whose 400 Hz level is at least `minDbfs`. */
export function voiceMs(pcm: Int16Array, minDbfs = VOICE_DBFS - 10): number {
  let blocks = 0;
  for (let start = 0; start + 160 <= pcm.length; start += 160) {
    if (goertzelLevelDbfs(pcm, VOICE_HZ, { start, length: 160 }) >= minDbfs) blocks += 1;
  }
  return blocks * 20;
}

/** Places one call from `phone` to the harness's agent, keys `plan.keys`, and measures it. */
export async function runPhonePayment(
  harness: CallHarness,
  phone: Phone,
  plan: CallPlan,
  /** Without a report reader (a stack whose reports go to its gateway) `reported` stays empty. */
  reports: DtmfReports | undefined,
): Promise<PhonePaymentResult> {
  const agent = await harness.startAgent();
  harness.keyed.push(plan.keys);
  const firstReport = reports?.reports.length ?? 0;
  const record = await phone.call(plan);
  await agent.sipp.succeeded(15_000);
  const sink = agent.sink;
  if (!sink) throw new Error('the agent has no sink');
  if (sink.records.length > 0) await sink.waitForQuiet(200, 5000);
  // the last key is reported when it ends, after the mask hop's delay buffer
  await sleep(500);
  const { callId, fromTag } = inviteIdentity(agent.sipp.messageFile);
  const during = reports?.reports.slice(firstReport) ?? [];
  const mine = during.filter((r) => r.callid === callId && r.tag === fromTag);
  return {
    phone: phone.kind,
    mode: phone.mode,
    keys: plan.keys,
    record,
    callId,
    fromTag,
    agent: agentAudioReport(sink, { durationMs: record.endedAt - record.answeredAt }),
    voiceMsAtAgent: voiceMs(sink.decodePcmu()),
    reported: mine.map((r) => r.key).join(''),
    strayReports: during.length - mine.length,
  };
}

/** Key timing per phone: as fast as the suite allows, no faster than the phone can (baresip RFC 4733: 250 ms). */
export function interKeyMsFor(phone: Phone): number {
  return Math.max(150, phone.minInterKeyMs);
}

/** The agent heard at least this much of the phone's voice (it sends 2 s: 1 s before, 1 s after the keys). */
export const MIN_VOICE_MS_AT_AGENT = 1000;

/** Every check the suite holds a phone's payment to (real-phones.test.ts asserts them one by one). */
export function paymentPasses(result: PhonePaymentResult): boolean {
  return (
    result.agent.packets > 0 &&
    result.voiceMsAtAgent >= MIN_VOICE_MS_AT_AGENT &&
    result.agent.digitEvents === 0 &&
    result.agent.toneMs === 0 &&
    result.agent.detected === '' &&
    result.reported === result.keys &&
    result.strayReports === 0
  );
}

export interface SentByPhone {
  /** PCMU packets the phone sent. */
  readonly audioPackets: number;
  /** telephone-events (any PT ≥ 96) the phone sent, as keys in order. */
  readonly eventKeys: string;
  /** Event lengths (ms, from the duration field). */
  readonly eventMs: readonly number[];
  /** Keys the DTMF detector finds in the phone's PCMU, and their tone time. */
  readonly toneKeys: string;
  readonly toneMs: number;
}

/**
 * What a phone sent from its RTP port, read from a loopback capture (tcpdump; the hand-run check
 * only — the suite reads rtpengine's reports instead).
 */
export function sentByPhone(capture: Buffer, rtpPort: number): SentByPhone {
  const packets: { packet: RtpPacket; arrivalMs: number }[] = [];
  for (const datagram of readPcap(capture).udp) {
    if (datagram.srcPort !== rtpPort) continue;
    try {
      packets.push({ packet: parseRtpPacket(datagram.payload), arrivalMs: datagram.timeUs / 1000 });
    } catch {
      // STUN or RTCP on the RTP port: not RTP
    }
  }
  const audio = packets.filter((p) => p.packet.payloadType === PAYLOAD_TYPE_PCMU);
  const eventPt = packets.find((p) => p.packet.payloadType >= 96 && p.packet.payloadType <= 127)?.packet
    .payloadType;
  const events = eventPt === undefined ? [] : telephoneEventsOf(packets, eventPt);
  const tones = detectDtmf(concatPcm(audio.map((p) => decodePcmu(p.packet.payload))));
  return {
    audioPackets: audio.length,
    eventKeys: events.map((e) => e.digit ?? '?').join(''),
    eventMs: events.map((e) => e.durationMs),
    toneKeys: tones.digitString,
    toneMs: tones.toneMs,
  };
}

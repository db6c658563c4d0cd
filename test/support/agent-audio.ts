/**
 * What the agent received on a call, measured from the RTP sink: PCMU decoded and run through the
 * Goertzel DTMF detector, and the RFC 4733 events. The thresholds the integration tests hold it to.
 */
import { detectDtmf } from './media/dtmf-detector.js';
import { decodePcmu } from './media/g711.js';
import { readPcap } from './media/pcap-reader.js';
import { PAYLOAD_TYPE_PCMU, parseRtpPacket } from './media/rtp.js';
import type { RtpSink } from './media/rtp-sink.js';
import { concatPcm } from './media/signal.js';

/**
 * Highest level any DTMF frequency may reach in what the agent receives while digits are masked.
 * The detector's own floor is −60 dBFS per tone; the quietest tone rtpengine still masks is −43 dBFS
 * (docs/media.md). A tone leaking at that level would read ≈ −43 dBFS here, 17 dB above this limit;
 * masked audio (digital silence) reads −140.
 */
export const MAX_AGENT_DTMF_LEVEL_DBFS = -60;

/** Share of the customer's packets that must reach the agent: a test on no audio proves nothing. */
export const MIN_AGENT_PACKET_SHARE = 0.9;

export interface AgentAudioReport {
  /** RTP packets the agent received. */
  readonly packets: number;
  /** Packets the customer sent (the pcap's frames, 20 ms each). */
  readonly customerPackets: number;
  /** Payload types seen at the agent. */
  readonly payloadTypes: readonly number[];
  /** ms of detectable DTMF in the decoded PCMU. */
  readonly toneMs: number;
  /** Digits the detector found (should be none). */
  readonly detected: string;
  /** Loudest DTMF frequency over the whole call, dBFS. */
  readonly maxDtmfLevelDbfs: number;
  /** telephone-events that carry a digit (payload type 101, as the agent's SDP answers). */
  readonly digitEvents: number;
}

export function agentAudioReport(sink: RtpSink, customerPcap: { durationMs: number }): AgentAudioReport {
  const dtmf = sink.analyseDtmf();
  return {
    packets: sink.records.length,
    customerPackets: Math.round(customerPcap.durationMs / 20),
    payloadTypes: [...sink.byPayloadType().keys()].sort((a, b) => a - b),
    toneMs: dtmf.toneMs,
    detected: dtmf.digitString,
    maxDtmfLevelDbfs: dtmf.maxDtmfLevelDbfs,
    digitEvents: sink.telephoneEvents(101).filter((event) => event.digit !== null).length,
  };
}

/** A one-line summary for assertion messages. */
export function describeAgentAudio(report: AgentAudioReport): string {
  return (
    `agent got ${report.packets}/${report.customerPackets} packets (pt ${report.payloadTypes.join(',')}), ` +
    `${report.toneMs} ms of DTMF tone, max DTMF level ${report.maxDtmfLevelDbfs.toFixed(1)} dBFS, ` +
    `${report.digitEvents} digit events`
  );
}

/** The DTMF a pcap's PCMU carries (the positive control: the detector does hear the customer's tones). */
export function dtmfInPcap(bytes: Buffer) {
  const frames = readPcap(bytes)
    .udp.map((datagram) => parseRtpPacket(datagram.payload))
    .filter((packet) => packet.payloadType === PAYLOAD_TYPE_PCMU)
    .map((packet) => decodePcmu(packet.payload));
  return detectDtmf(concatPcm(frames));
}

/** The digits of the RFC 4733 events a sink got, each event once (its end packets repeat it). */
export function eventDigits(sink: RtpSink): string {
  return [...new Set(sink.telephoneEvents().map((event) => `${event.timestamp}:${event.digit}`))]
    .map((entry) => entry.split(':')[1])
    .join('');
}

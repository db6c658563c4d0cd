/**
 * Packetises 8 kHz audio into a timed RTP stream: PCMU frames every `ptimeMs`, and,
 * optionally, RFC 4733 telephone-event packets in place of the audio while a digit is
 * keyed. The result is a schedule (offset from the first packet, bytes) that can be
 * written to a pcap or sent over UDP.
 */
import type { DtmfSegment } from './dtmf-tone.js';
import { encodePcmu, PCMU_SILENCE } from './g711.js';
import {
  buildRtpPacket,
  buildTelephoneEvent,
  DEFAULT_TELEPHONE_EVENT_PT,
  digitToEvent,
  PAYLOAD_TYPE_PCMU,
} from './rtp.js';
import { msToSamples, SAMPLE_RATE_HZ } from './signal.js';

export const DEFAULT_PTIME_MS = 20;
/** RFC 4733 §2.5.1.4: the end packet is sent three times. */
export const END_PACKET_COPIES = 3;

export interface TimedRtpPacket {
  /** When to send, ms after the first packet. */
  offsetMs: number;
  payloadType: number;
  bytes: Buffer;
}

export interface RtpStreamOptions {
  ssrc?: number;
  initialSequence?: number;
  initialTimestamp?: number;
  ptimeMs?: number;
  /**
   * Digits to send as RFC 4733 events instead of the audio of the slots they cover
   * (a segment covers every ptime slot it overlaps).
   */
  events?: readonly DtmfSegment[];
  eventPayloadType?: number;
  /** Event volume, -dBm0 (0-63). */
  eventVolume?: number;
}

/**
 * Builds a PCMU RTP stream from `pcm` (the last frame is padded with silence), with the
 * marker bit on the first packet and on the first packet of every event.
 */
export function buildPcmuRtpStream(pcm: Int16Array, options: RtpStreamOptions = {}): TimedRtpPacket[] {
  const {
    ssrc = 0x746f6e65,
    initialSequence = 1000,
    initialTimestamp = 160_000,
    ptimeMs = DEFAULT_PTIME_MS,
    events = [],
    eventPayloadType = DEFAULT_TELEPHONE_EVENT_PT,
    eventVolume = 10,
  } = options;
  const frameSamples = msToSamples(ptimeMs);
  const frameCount = Math.ceil(pcm.length / frameSamples);
  const packets: TimedRtpPacket[] = [];
  let sequence = initialSequence;
  const push = (
    offsetMs: number,
    payloadType: number,
    marker: boolean,
    timestamp: number,
    payload: Buffer,
  ) => {
    packets.push({
      offsetMs,
      payloadType,
      bytes: buildRtpPacket({
        payloadType,
        marker,
        sequenceNumber: sequence,
        timestamp: timestamp >>> 0,
        ssrc,
        payload,
      }),
    });
    sequence = (sequence + 1) & 0xffff;
  };
  const eventAt = (slot: number) =>
    events.find((e) => slot * ptimeMs < e.endMs && (slot + 1) * ptimeMs > e.startMs) ?? null;

  for (let slot = 0; slot < frameCount; slot += 1) {
    const offsetMs = slot * ptimeMs;
    const timestamp = initialTimestamp + slot * frameSamples;
    const event = eventAt(slot);
    if (event === null) {
      const frame = new Uint8Array(frameSamples).fill(PCMU_SILENCE);
      frame.set(encodePcmu(pcm.subarray(slot * frameSamples, (slot + 1) * frameSamples)));
      push(offsetMs, PAYLOAD_TYPE_PCMU, slot === 0, timestamp, Buffer.from(frame));
      continue;
    }
    const firstSlot = Math.floor(event.startMs / ptimeMs);
    const lastSlot = Math.ceil(event.endMs / ptimeMs) - 1;
    const eventTimestamp = initialTimestamp + firstSlot * frameSamples;
    const totalDuration = msToSamples(event.endMs - event.startMs, SAMPLE_RATE_HZ);
    const isLast = slot === lastSlot;
    const payload = buildTelephoneEvent({
      event: digitToEvent(event.digit),
      end: isLast,
      volume: eventVolume,
      duration: isLast ? totalDuration : Math.min(totalDuration, (slot - firstSlot + 1) * frameSamples),
    });
    const copies = isLast ? END_PACKET_COPIES : 1;
    for (let copy = 0; copy < copies; copy += 1) {
      push(offsetMs, eventPayloadType, slot === firstSlot && copy === 0, eventTimestamp, payload);
    }
  }
  return packets;
}

/**
 * RFC 4733 events off the 20 ms frame grid, as a phone would time them (dtmf-pcap.ts `EventClock`
 * `timestamp` and `wire`): the event's RTP timestamp at the key-down instant; its packets on the frame
 * clock or, `betweenFrames`, every 20 ms from the key-down instant; audio until the frame the key went
 * down in, and again from the first frame after the event.
 */
import type { DtmfSegment } from './media/dtmf-tone.js';
import { encodePcmu, PCMU_SILENCE } from './media/g711.js';
import { buildRtpPacket, buildTelephoneEvent, digitToEvent, PAYLOAD_TYPE_PCMU } from './media/rtp.js';
import { END_PACKET_COPIES, type TimedRtpPacket } from './media/rtp-stream.js';

export function offGridEventStream(
  pcm: Int16Array,
  events: readonly DtmfSegment[],
  options: { payloadType: number; ssrc: number; betweenFrames: boolean },
): TimedRtpPacket[] {
  const { payloadType, betweenFrames } = options;
  const FRAME_MS = 20;
  const TS0 = 160_000;
  const planned: {
    atMs: number;
    order: number;
    payloadType: number;
    marker: boolean;
    ts: number;
    payload: Buffer;
  }[] = [];
  const frames = Math.ceil(pcm.length / 160);
  for (let slot = 0; slot < frames; slot += 1) {
    const startMs = slot * FRAME_MS;
    // audio goes on until the frame the key went down in, and resumes once the event is over
    if (events.some((event) => startMs >= event.startMs && startMs < event.endMs)) continue;
    if (events.some((event) => startMs < event.endMs && startMs + FRAME_MS > event.endMs)) continue;
    const frame = new Uint8Array(160).fill(PCMU_SILENCE);
    frame.set(encodePcmu(pcm.subarray(slot * 160, (slot + 1) * 160)));
    planned.push({
      atMs: startMs,
      order: 0,
      payloadType: PAYLOAD_TYPE_PCMU,
      marker: slot === 0,
      ts: TS0 + slot * 160,
      payload: Buffer.from(frame),
    });
  }
  for (const event of events) {
    const lengthMs = event.endMs - event.startMs;
    const count = Math.ceil(lengthMs / FRAME_MS);
    for (let i = 0; i < count; i += 1) {
      const last = i === count - 1;
      const sentMs = event.startMs + i * FRAME_MS;
      const payload = buildTelephoneEvent({
        event: digitToEvent(event.digit),
        end: last,
        volume: 10,
        duration: Math.min(lengthMs, (i + 1) * FRAME_MS) * 8,
      });
      for (let copy = 0; copy < (last ? END_PACKET_COPIES : 1); copy += 1) {
        planned.push({
          atMs: betweenFrames ? sentMs : Math.ceil(sentMs / FRAME_MS) * FRAME_MS,
          order: 1,
          payloadType,
          marker: i === 0 && copy === 0,
          ts: TS0 + event.startMs * 8,
          payload,
        });
      }
    }
  }
  planned.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
  return planned.map((packet, index) => ({
    offsetMs: packet.atMs,
    payloadType: packet.payloadType,
    bytes: buildRtpPacket({
      payloadType: packet.payloadType,
      marker: packet.marker,
      sequenceNumber: (1000 + index) & 0xffff,
      timestamp: packet.ts >>> 0,
      ssrc: options.ssrc,
      payload: packet.payload,
    }),
  }));
}

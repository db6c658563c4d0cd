import { describe, expect, it } from 'vitest';
import { detectDtmf } from '../../support/media/dtmf-detector.js';
import { dtmfSequence } from '../../support/media/dtmf-tone.js';
import { parseRtpPacket, parseTelephoneEvent } from '../../support/media/rtp.js';
import { decodePcmuRecords, telephoneEventsOf } from '../../support/media/rtp-analysis.js';
import { buildPcmuRtpStream } from '../../support/media/rtp-stream.js';
import { silence } from '../../support/media/signal.js';

const toRecords = (packets: ReturnType<typeof buildPcmuRtpStream>) =>
  packets.map((p) => ({ arrivalMs: p.offsetMs, packet: parseRtpPacket(p.bytes) }));

describe('RTP stream builder', () => {
  it('packetises PCMU in 20 ms frames with consecutive sequence numbers and timestamps', () => {
    const seq = dtmfSequence('42', { levelDbfs: -20, toneMs: 100, gapMs: 100, leadInMs: 500, tailMs: 50 });
    const packets = buildPcmuRtpStream(seq.pcm, { ssrc: 5, initialSequence: 65534, initialTimestamp: 0 });
    expect(packets).toHaveLength(Math.ceil(seq.pcm.length / 160));
    const parsed = packets.map((p) => parseRtpPacket(p.bytes));
    expect(packets.map((p) => p.offsetMs).slice(0, 3)).toEqual([0, 20, 40]);
    expect(parsed.slice(0, 4).map((p) => p.sequenceNumber)).toEqual([65534, 65535, 0, 1]);
    expect(parsed.slice(0, 3).map((p) => p.timestamp)).toEqual([0, 160, 320]);
    expect(parsed.map((p) => p.marker)).toEqual([true, ...parsed.slice(1).map(() => false)]);
    expect(parsed.every((p) => p.payloadType === 0 && p.payload.length === 160 && p.ssrc === 5)).toBe(true);
    expect(detectDtmf(decodePcmuRecords(toRecords(packets))).digitString).toBe('42');
  });

  it('sends RFC 4733 events in place of the audio, with marker, growing duration and three end packets', () => {
    const seq = dtmfSequence('1#', { levelDbfs: -20, toneMs: 100, gapMs: 100, leadInMs: 500, tailMs: 100 });
    const packets = buildPcmuRtpStream(silence(seq.durationMs), {
      events: seq.segments,
      eventPayloadType: 96,
      initialTimestamp: 0,
    });
    const events = packets.filter((p) => p.payloadType === 96).map((p) => parseRtpPacket(p.bytes));
    expect(events).toHaveLength(2 * (5 + 2));
    const first = events.slice(0, 7);
    expect(first.map((p) => p.timestamp)).toEqual(Array(7).fill(4000));
    expect(first.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false]);
    expect(first.map((p) => parseTelephoneEvent(p.payload).duration)).toEqual([
      160, 320, 480, 640, 800, 800, 800,
    ]);
    expect(first.map((p) => parseTelephoneEvent(p.payload).end)).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
    const seqs = packets.map((p) => parseRtpPacket(p.bytes).sequenceNumber);
    expect(seqs.every((s, i) => i === 0 || s === ((seqs[i - 1] ?? 0) + 1) % 65536)).toBe(true);

    const received = telephoneEventsOf(toRecords(packets), 96);
    expect(received.map((e) => [e.digit, e.ended, e.durationMs, e.packets, e.volume])).toEqual([
      ['1', true, 100, 7, 10],
      ['#', true, 100, 7, 10],
    ]);
    // The audio around the events is silence and carries no DTMF.
    const audio = decodePcmuRecords(toRecords(packets));
    expect(audio.length).toBe(seq.pcm.length);
    expect(detectDtmf(audio).toneMs).toBe(0);
  });
});

/**
 * pcaps for SIPp's `play_pcap_audio` that key digits: in-band PCMU tones, RFC 4733 telephone-events,
 * a mix of both, sip-tester's own RFC 2833 samples, or silence. The same building blocks as
 * scripts/make-tone-pcap.ts, in memory, so a test makes its pcaps without a subprocess.
 */
import { readFileSync } from 'node:fs';
import { type DtmfSegment, dtmfSequence } from './media/dtmf-tone.js';
import { encodePcmu, PCMU_SILENCE } from './media/g711.js';
import { readPcap } from './media/pcap-reader.js';
import { PcapWriter } from './media/pcap-writer.js';
import {
  buildRtpPacket,
  buildTelephoneEvent,
  digitToEvent,
  PAYLOAD_TYPE_PCMU,
  parseRtpPacket,
  parseTelephoneEvent,
} from './media/rtp.js';
import { buildPcmuRtpStream, END_PACKET_COPIES, type TimedRtpPacket } from './media/rtp-stream.js';
import { silence } from './media/signal.js';

/** A pcap in memory and what it keys. */
export interface DtmfPcap {
  readonly bytes: Buffer;
  /** The keys, in order, as typed (`''` for silence). */
  readonly keys: string;
  /** Where each key sits, ms from the first packet. */
  readonly segments: readonly DtmfSegment[];
  /** From the first packet to the end of the last. */
  readonly durationMs: number;
}

export interface DtmfTiming {
  /** Tone / event length (default 100 ms). */
  toneMs?: number;
  /** Silence between keys (default 100 ms). */
  gapMs?: number;
  /** Silence before the first key (default 500 ms): time to start a payment before the digits. */
  leadInMs?: number;
  /** Silence after the last key (default 500 ms). */
  tailMs?: number;
}

const SSRC = 0x746f6e65;
const SRC = { address: '127.0.0.1', port: 6000 };
const DST = { address: '127.0.0.1', port: 10000 };
// A fixed capture start keeps a pcap byte-for-byte reproducible (as make-tone-pcap does).
const START_US = Date.UTC(2024, 0, 1) * 1000;

function toPcap(packets: readonly TimedRtpPacket[]): Buffer {
  const writer = new PcapWriter();
  for (const packet of packets) {
    writer.addUdp(START_US + Math.round(packet.offsetMs * 1000), {
      src: SRC,
      dst: DST,
      payload: packet.bytes,
    });
  }
  return writer.toBuffer();
}

function sequenceOf(keys: string, timing: DtmfTiming, levelDbfs: number) {
  return dtmfSequence(keys, {
    levelDbfs,
    toneMs: timing.toneMs ?? 100,
    gapMs: timing.gapMs ?? 100,
    leadInMs: timing.leadInMs ?? 500,
    tailMs: timing.tailMs ?? 500,
  });
}

/** Keys as in-band PCMU tones, each of the two tones at `levelDbfs`. */
export function inBandPcap(keys: string, options: DtmfTiming & { levelDbfs: number }): DtmfPcap {
  const sequence = sequenceOf(keys, options, options.levelDbfs);
  return {
    bytes: toPcap(buildPcmuRtpStream(sequence.pcm, { ssrc: SSRC })),
    keys,
    segments: sequence.segments,
    durationMs: sequence.durationMs,
  };
}

/**
 * Where RFC 4733 events sit against the 20 ms audio frames when they start `eventOffsetMs` into a
 * frame (a real phone's key goes down at any moment, not on a frame boundary):
 *
 * - `frame`: what `buildPcmuRtpStream` makes of an unaligned key (and what the bench's pcaps did
 *   with a lead-in off the 20 ms grid): the event's RTP timestamp is the start of the frame it
 *   starts in, its packets go out on the frame clock, no audio for any frame it overlaps.
 * - `timestamp`: the event's RTP timestamp is the key-down instant, `eventOffsetMs` × 8 samples
 *   past a frame's (not a multiple of 160 from the audio's); its packets go out on the frame
 *   clock; the audio frame the key went down in is still sent (silence), audio resumes with the
 *   first frame that starts after the event.
 * - `wire`: as `timestamp`, but the event packets go out every 20 ms from the key-down instant,
 *   between the audio packets (a phone whose DTMF timer is not the audio's).
 */
export type EventClock = 'frame' | 'timestamp' | 'wire';

export interface Rfc4733Options extends DtmfTiming {
  payloadType?: number;
  /**
   * Keys at these indexes are sent as tones at `levelDbfs` instead (one stream mixing both kinds,
   * as a phone that switches mode would).
   */
  inBand?: readonly number[];
  levelDbfs?: number;
  /** Events start this many ms later than the 20 ms frame grid (0–19, default 0). */
  eventOffsetMs?: number;
  /** How an offset event sits against the audio frames (default `timestamp`); see `EventClock`. */
  eventClock?: EventClock;
}

/** Keys as RFC 4733 telephone-events (payload type `payloadType`, default 101) over PCMU silence. */
export function rfc4733Pcap(keys: string, options: Rfc4733Options = {}): DtmfPcap {
  const offsetMs = options.eventOffsetMs ?? 0;
  if (!Number.isInteger(offsetMs) || offsetMs < 0 || offsetMs >= 20) {
    throw new Error(`eventOffsetMs must be a whole number of ms in 0–19, got ${offsetMs}`);
  }
  const inBand = new Set(options.inBand ?? []);
  const sequence = sequenceOf(keys, options, options.levelDbfs ?? -20);
  const segments = sequence.segments.map((segment, index) =>
    inBand.has(index)
      ? segment
      : { ...segment, startMs: segment.startMs + offsetMs, endMs: segment.endMs + offsetMs },
  );
  const events = segments.filter((_, index) => !inBand.has(index));
  const { durationMs } = sequence;
  const audio = inBand.size > 0 ? sequence.pcm : silence(durationMs);
  const payloadType = options.payloadType ?? 101;
  const clock = options.eventClock ?? 'timestamp';
  const packets =
    offsetMs === 0 || clock === 'frame'
      ? buildPcmuRtpStream(audio, { ssrc: SSRC, events, eventPayloadType: payloadType })
      : offGridEventStream(audio, events, payloadType, clock === 'wire');
  return { bytes: toPcap(packets), keys, segments, durationMs };
}

/** The `timestamp` and `wire` layouts of `EventClock`: timestamps and send times as a phone would set them. */
function offGridEventStream(
  pcm: Int16Array,
  events: readonly DtmfSegment[],
  payloadType: number,
  betweenFrames: boolean,
): TimedRtpPacket[] {
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
      ssrc: SSRC,
      payload: packet.payload,
    }),
  }));
}

/** PCMU silence only. */
export function silentPcap(durationMs: number): DtmfPcap {
  return {
    bytes: toPcap(buildPcmuRtpStream(silence(durationMs), { ssrc: SSRC })),
    keys: '',
    segments: [],
    durationMs,
  };
}

/** sip-tester's RFC 2833 samples, one a key (digits, `*`, `#`). */
export const SIP_TESTER_PCAP_DIR = '/usr/share/sip-tester';

function sipTesterFile(key: string): string {
  const name = key === '*' ? 'star' : key === '#' ? 'pound' : key;
  if (!/^([0-9]|star|pound)$/.test(name)) throw new Error(`sip-tester has no pcap for key ${key}`);
  return `${SIP_TESTER_PCAP_DIR}/dtmf_2833_${name}.pcap`;
}

/**
 * sip-tester's dtmf_2833_<key>.pcap files (telephone-events, payload type 101, 140 ms each)
 * joined into one stream with PCMU silence before, between (`gapMs`, default 300) and after. Each
 * file's packets keep their spacing; sequence numbers and timestamps are renumbered onto one SSRC.
 */
export function sipTesterPcap(
  keys: string,
  options: { gapMs?: number; leadInMs?: number; tailMs?: number } = {},
) {
  const { gapMs = 300, leadInMs = 500, tailMs = 500 } = options;
  const packets: TimedRtpPacket[] = [];
  const segments: DtmfSegment[] = [];
  const silentFrame = Buffer.from(encodePcmu(silence(20)));
  let sequence = 1000;
  let atMs = 0;
  let marker = true;
  const silenceFor = (ms: number) => {
    for (let t = 0; t < ms; t += 20) {
      packets.push({
        offsetMs: atMs,
        payloadType: PAYLOAD_TYPE_PCMU,
        bytes: buildRtpPacket({
          payloadType: PAYLOAD_TYPE_PCMU,
          marker,
          sequenceNumber: sequence & 0xffff,
          timestamp: (160_000 + atMs * 8) >>> 0,
          ssrc: SSRC,
          payload: silentFrame,
        }),
      });
      marker = false;
      sequence += 1;
      atMs += 20;
    }
  };
  silenceFor(leadInMs);
  [...keys].forEach((key, index) => {
    if (index > 0) silenceFor(gapMs);
    const file = readPcap(readFileSync(sipTesterFile(key)));
    const first = file.udp[0];
    if (!first) throw new Error(`${sipTesterFile(key)} holds no UDP`);
    const firstSequence = parseRtpPacket(first.payload).sequenceNumber;
    const startMs = atMs;
    let lastOffsetMs = 0;
    for (const datagram of file.udp) {
      const rtp = parseRtpPacket(datagram.payload);
      lastOffsetMs = Math.round((datagram.timeUs - first.timeUs) / 1000);
      packets.push({
        offsetMs: startMs + lastOffsetMs,
        payloadType: rtp.payloadType,
        bytes: buildRtpPacket({
          payloadType: rtp.payloadType,
          marker: rtp.marker,
          sequenceNumber: (sequence + ((rtp.sequenceNumber - firstSequence) & 0xffff)) & 0xffff,
          timestamp: (160_000 + startMs * 8) >>> 0,
          ssrc: SSRC,
          payload: Buffer.from(rtp.payload),
        }),
      });
    }
    sequence +=
      ((parseRtpPacket(file.udp.at(-1)?.payload ?? first.payload).sequenceNumber - firstSequence) & 0xffff) +
      1;
    // The events claim more time than they take on the wire (2240 samples in 140 ms): no audio
    // until the claimed duration is over, so no PCMU timestamp falls inside an event.
    const endPayload = parseRtpPacket(file.udp.at(-1)?.payload ?? first.payload).payload;
    const claimedMs = parseTelephoneEvent(endPayload).duration / 8;
    atMs = startMs + Math.ceil(Math.max(lastOffsetMs + 20, claimedMs) / 20) * 20;
    segments.push({ digit: key as DtmfSegment['digit'], startMs, endMs: atMs });
  });
  silenceFor(tailMs);
  return { bytes: toPcap(packets), keys, segments, durationMs: atMs } satisfies DtmfPcap;
}

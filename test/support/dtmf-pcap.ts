/**
 * pcaps for SIPp's `play_pcap_audio` that key digits: in-band PCMU tones, RFC 4733 telephone-events,
 * a mix of both, or silence (sip-tester's own RFC 2833 samples: sip-tester-pcap.ts). The same building blocks as
 * scripts/make-tone-pcap.ts, in memory, so a test makes its pcaps without a subprocess.
 */
import { type DtmfSegment, dtmfSequence } from './media/dtmf-tone.js';
import { buildPcmuRtpStream } from './media/rtp-stream.js';
import { silence } from './media/signal.js';
import { timedPacketsPcap } from './media/timed-pcap.js';
import { offGridEventStream } from './off-grid-events.js';

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
  /** Per gap, the silence before key n+1 (default `gapMs`): a pause between a menu choice and a card. */
  gapsMs?: readonly number[];
  /** Silence before the first key (default 500 ms): time to start a payment before the digits. */
  leadInMs?: number;
  /** Silence after the last key (default 500 ms). */
  tailMs?: number;
}

/** The SSRC of every stream made here (and in sip-tester-pcap.ts). */
export const DTMF_PCAP_SSRC = 0x746f6e65;

function sequenceOf(keys: string, timing: DtmfTiming, levelDbfs: number) {
  return dtmfSequence(keys, {
    levelDbfs,
    toneMs: timing.toneMs ?? 100,
    gapMs: timing.gapMs ?? 100,
    ...(timing.gapsMs ? { gapsMs: timing.gapsMs } : {}),
    leadInMs: timing.leadInMs ?? 500,
    tailMs: timing.tailMs ?? 500,
  });
}

/** Keys as in-band PCMU tones, each of the two tones at `levelDbfs`. */
export function inBandPcap(keys: string, options: DtmfTiming & { levelDbfs: number }): DtmfPcap {
  const sequence = sequenceOf(keys, options, options.levelDbfs);
  return {
    bytes: timedPacketsPcap(buildPcmuRtpStream(sequence.pcm, { ssrc: DTMF_PCAP_SSRC })),
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
      ? buildPcmuRtpStream(audio, { ssrc: DTMF_PCAP_SSRC, events, eventPayloadType: payloadType })
      : offGridEventStream(audio, events, {
          payloadType,
          ssrc: DTMF_PCAP_SSRC,
          betweenFrames: clock === 'wire',
        });
  return { bytes: timedPacketsPcap(packets), keys, segments, durationMs };
}

/** PCMU silence only. */
export function silentPcap(durationMs: number): DtmfPcap {
  return {
    bytes: timedPacketsPcap(buildPcmuRtpStream(silence(durationMs), { ssrc: DTMF_PCAP_SSRC })),
    keys: '',
    segments: [],
    durationMs,
  };
}

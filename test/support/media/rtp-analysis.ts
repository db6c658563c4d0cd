/**
 * Analysis of received RTP: split by payload type, rebuild the PCMU audio in sequence
 * order (lost packets and event periods become silence), list RFC 4733 events, and run
 * the DTMF detector on the audio.
 */
import { type DtmfAnalysis, type DtmfDetectorOptions, detectDtmf } from './dtmf-detector.js';
import type { DtmfDigit } from './dtmf-tone.js';
import { decodePcmu } from './g711.js';
import {
  DEFAULT_TELEPHONE_EVENT_PT,
  eventToDigit,
  PAYLOAD_TYPE_PCMU,
  parseTelephoneEvent,
  type RtpPacket,
} from './rtp.js';
import { concatPcm, msToSamples, SAMPLE_RATE_HZ } from './signal.js';

/** One received RTP packet. */
export interface RtpRecord {
  /** Arrival time, ms on the receiver's monotonic clock. */
  arrivalMs: number;
  packet: RtpPacket;
}

export function splitByPayloadType(records: readonly RtpRecord[]): Map<number, RtpRecord[]> {
  const byType = new Map<number, RtpRecord[]>();
  for (const record of records) {
    const list = byType.get(record.packet.payloadType) ?? [];
    list.push(record);
    byType.set(record.packet.payloadType, list);
  }
  return byType;
}

/** SSRCs in order of first arrival. */
export function ssrcsOf(records: readonly RtpRecord[]): number[] {
  return [...new Set(records.map((r) => r.packet.ssrc))];
}

export interface PcmuDecodeOptions {
  payloadType?: number;
  /** Only this stream; by default every SSRC, one after another in order of first arrival. */
  ssrc?: number;
  /** A timestamp jump larger than this is a clock reset, not a loss (default 2000 ms). */
  maxGapMs?: number;
}

/** Signed distance from `from` to `to` on a circle of `modulus`. */
function wrapDelta(from: number, to: number, modulus: number): number {
  let delta = (to - from) % modulus;
  if (delta >= modulus / 2) delta -= modulus;
  if (delta < -modulus / 2) delta += modulus;
  return delta;
}

/** Unwraps a 16-bit sequence number or 32-bit timestamp series, in arrival order. */
function unwrap(values: readonly number[], modulus: number): number[] {
  const out: number[] = [];
  values.forEach((value, i) => {
    const previous = out[i - 1];
    out.push(
      previous === undefined ? value : previous + wrapDelta((values[i - 1] ?? 0) % modulus, value, modulus),
    );
  });
  return out;
}

function decodeOneStream(records: readonly RtpRecord[], maxGapSamples: number): Int16Array {
  const seqs = unwrap(
    records.map((r) => r.packet.sequenceNumber),
    0x10000,
  );
  const stamps = unwrap(
    records.map((r) => r.packet.timestamp),
    0x100000000,
  );
  const ordered = records
    .map((record, i) => ({ seq: seqs[i] ?? 0, ts: stamps[i] ?? 0, payload: record.packet.payload }))
    .sort((a, b) => a.seq - b.seq)
    .filter((p, i, all) => i === 0 || p.seq !== all[i - 1]?.seq);
  const parts: Int16Array[] = [];
  let previous: { seq: number; ts: number; samples: number } | null = null;
  for (const p of ordered) {
    if (previous) {
      const gap = p.ts - (previous.ts + previous.samples);
      const lostBySeq = (p.seq - previous.seq - 1) * previous.samples;
      const fill = gap > 0 && gap <= maxGapSamples ? gap : gap > maxGapSamples ? lostBySeq : 0;
      if (fill > 0) parts.push(new Int16Array(fill));
    }
    parts.push(decodePcmu(p.payload));
    previous = { seq: p.seq, ts: p.ts, samples: p.payload.length };
  }
  return concatPcm(parts);
}

/** Decodes the PCMU packets to 8 kHz PCM, in sequence order, with silence for the gaps. */
export function decodePcmuRecords(
  records: readonly RtpRecord[],
  options: PcmuDecodeOptions = {},
): Int16Array {
  const { payloadType = PAYLOAD_TYPE_PCMU, ssrc, maxGapMs = 2000 } = options;
  const audio = records.filter(
    (r) => r.packet.payloadType === payloadType && (ssrc === undefined || r.packet.ssrc === ssrc),
  );
  const maxGapSamples = msToSamples(maxGapMs);
  return concatPcm(
    ssrcsOf(audio).map((id) =>
      decodeOneStream(
        audio.filter((r) => r.packet.ssrc === id),
        maxGapSamples,
      ),
    ),
  );
}

/** One RFC 4733 event as received: all packets of one (SSRC, timestamp) pair. */
export interface ReceivedTelephoneEvent {
  ssrc: number;
  timestamp: number;
  /** Event code (0-15 are DTMF). */
  event: number;
  /** The DTMF digit, or null for a non-DTMF event code. */
  digit: DtmfDigit | null;
  /** Whether any packet carried the end bit. */
  ended: boolean;
  /** Longest duration field seen, ms. */
  durationMs: number;
  volume: number;
  packets: number;
  firstArrivalMs: number;
}

/** Lists the telephone-events of `payloadType` (default 101), in order of first arrival. */
export function telephoneEventsOf(
  records: readonly RtpRecord[],
  payloadType = DEFAULT_TELEPHONE_EVENT_PT,
): ReceivedTelephoneEvent[] {
  const events = new Map<string, ReceivedTelephoneEvent>();
  for (const { packet, arrivalMs } of records) {
    if (packet.payloadType !== payloadType || packet.payload.length < 4) continue;
    const parsed = parseTelephoneEvent(packet.payload);
    const key = `${packet.ssrc}/${packet.timestamp}/${parsed.event}`;
    const known = events.get(key);
    const durationMs = (parsed.duration * 1000) / SAMPLE_RATE_HZ;
    if (known) {
      known.ended ||= parsed.end;
      known.durationMs = Math.max(known.durationMs, durationMs);
      known.packets += 1;
    } else {
      events.set(key, {
        ssrc: packet.ssrc,
        timestamp: packet.timestamp,
        event: parsed.event,
        digit: eventToDigit(parsed.event),
        ended: parsed.end,
        durationMs,
        volume: parsed.volume,
        packets: 1,
        firstArrivalMs: arrivalMs,
      });
    }
  }
  return [...events.values()];
}

/** Decodes the PCMU audio and runs the DTMF detector over it. */
export function analyseRtpDtmf(
  records: readonly RtpRecord[],
  options: PcmuDecodeOptions & DtmfDetectorOptions = {},
): DtmfAnalysis {
  return detectDtmf(decodePcmuRecords(records, options), options);
}

/**
 * The customers of a load, drawn from the stream-layout generator (test/support/media/stream-layout.ts):
 * call n keys the card in layout MIX[(n − 1) mod |MIX|] — the masking matrix's layouts (gaps after
 * events, off-grid events, ptime 10/30, lost and reordered packets, a new SSRC mid-call, in-band tones
 * at −20 to −40 dBFS with and without telephone-event offered, silence suppression).
 *
 * Each customer's pcap is one RTP stream in the layout's ptime and SSRC:
 *
 *   lead-in    PCMU silence, so every call keys while all N are up (covers the ramp + 3 s), with two
 *              bursts of 1 kHz at −10 dBFS (200 ms) 1.6 s and 0.6 s before its end: the early probe
 *   keys       the layout's own stream (its 600 ms lead-in, the keys, its 600 ms tail)
 *   padding    PCMU silence up to the same point for every layout (the longest layout + 400 ms)
 *   probe      3 bursts of 1 kHz at −10 dBFS, 200 ms each, 1 s apart, then 800 ms of silence: the
 *              late probe, after every key of the call
 *
 * The bursts' onsets at the customer and at the agent (tcpdump on lo) give the added one-way delay,
 * before the keys and after them (whether it changes over a call).
 *
 * so every call sends audio for as long as the others (the CPU window sees the same media whatever
 * the layout), and the probe comes ≥ 1 s after the last key of every layout. RTP timestamps follow
 * the wall clock as the generator's do; sequence numbers continue the layout's.
 *
 * The SIPp scenario that plays them: customer-scenario.ts.
 */

import { MATRIX } from '../../test/support/masking-matrix.js';
import { encodePcmu } from '../../test/support/media/g711.js';
import type { Layout } from '../../test/support/media/layout.js';
import { PcapWriter } from '../../test/support/media/pcap-writer.js';
import { buildRtpPacket, PAYLOAD_TYPE_PCMU, parseRtpPacket } from '../../test/support/media/rtp.js';
import type { TimedRtpPacket } from '../../test/support/media/rtp-stream.js';
import { concatPcm, silence, sines } from '../../test/support/media/signal.js';
import { layoutStream } from '../../test/support/media/stream-layout.js';

export const PROBE_BURSTS = 3;
export const PROBE_BURST_MS = 200;
export const PROBE_PERIOD_MS = 1000;
export const PROBE_LEVEL_DBFS = -10;
export const PROBE_FREQUENCY_HZ = 1000;
/** Silence after the last burst. */
const PROBE_TAIL_MS = 800;
/** The early probe's bursts, ms before the end of the lead-in; its window starts 400 ms before the first. */
const EARLY_BURSTS_BEFORE_MS = [1600, 600] as const;
const EARLY_WINDOW_MS = 2000;
/** At least this much quiet between the end of the longest layout and the first burst (with its own 600 ms tail: 1 s). */
const PAD_MIN_MS = 400;
/** 10, 20 and 30 ms frames all fit whole into multiples of this. */
const GRID_MS = 60;

const START_US = Date.UTC(2024, 0, 1) * 1000;
const SRC = { address: '127.0.0.1', port: 6000 };
const DST = { address: '127.0.0.1', port: 10000 };

export interface ProbeWindow {
  readonly ssrc: number;
  readonly fromTimestamp: number;
  readonly toTimestamp: number;
}

export interface CustomerStream {
  readonly layout: Layout;
  readonly packets: readonly TimedRtpPacket[];
  readonly durationMs: number;
  /** Where the keys start and the probe starts, ms from the first packet. */
  readonly keysStartMs: number;
  readonly probeStartMs: number;
  /**
   * The probes' windows: the customer's packets to look at for the bursts' onsets (an RTP stream and a
   * timestamp range, end excluded), before the keys and after them.
   */
  readonly probes: { readonly early: ProbeWindow; readonly late: ProbeWindow };
  readonly customerPcmuPackets: number;
  /**
   * Of those, the packets after the layout's own stream (padding and late probe): what a masked call's
   * agent hears at least, the payment having muted the customer from its start to after its last key.
   */
  readonly tailPcmuPackets: number;
}

const roundUp = (value: number, step: number) => Math.ceil(value / step) * step;

/** The lead-in for a ramp of `rampMs`: 3 s plus the ramp, whole frames of every ptime (≥ the early probe's window). */
export function leadInFor(rampMs: number): number {
  return roundUp(Math.max(3000 + rampMs, EARLY_WINDOW_MS), GRID_MS);
}

/** Where the padding of every layout ends (the probe starts), ms after the keys' section starts. */
export function keysSectionMs(keys: string, layouts: readonly Layout[]): number {
  const longest = Math.max(...layouts.map((spec) => layoutStream(keys, spec).durationMs));
  return roundUp(longest + PAD_MIN_MS, GRID_MS);
}

/** The most common value: the stream's timestamp base, whatever a reordered packet says. */
function mode(values: readonly number[]): number {
  const counts = new Map<number, number>();
  let best = values[0] ?? 0;
  for (const value of values) {
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    if (count > (counts.get(best) ?? 0)) best = value;
  }
  return best;
}

function pcmuFrames(
  pcm: Int16Array,
  options: { atMs: number; ptimeMs: number; ssrc: number; firstSeq: number; tsBase: number },
): TimedRtpPacket[] {
  const samples = options.ptimeMs * 8;
  const frames: TimedRtpPacket[] = [];
  for (let i = 0; i * samples < pcm.length; i += 1) {
    const frame = new Int16Array(samples);
    frame.set(pcm.subarray(i * samples, (i + 1) * samples));
    const atMs = options.atMs + i * options.ptimeMs;
    frames.push({
      offsetMs: atMs,
      payloadType: PAYLOAD_TYPE_PCMU,
      bytes: buildRtpPacket({
        payloadType: PAYLOAD_TYPE_PCMU,
        sequenceNumber: (options.firstSeq + i) & 0xffff,
        timestamp: (options.tsBase + atMs * 8) >>> 0,
        ssrc: options.ssrc,
        payload: encodePcmu(frame),
      }),
    });
  }
  return frames;
}

/**
 * One customer: `keys` in `spec`, after `leadInMs` of silence; the probe starts `sectionMs` after the
 * keys' section does (the same for every layout of a load: `keysSectionMs`).
 */
export function customerStream(
  keys: string,
  spec: Layout,
  leadInMs: number,
  sectionMs: number,
): CustomerStream {
  const stream = layoutStream(keys, spec);
  if (stream.durationMs + PAD_MIN_MS > sectionMs)
    throw new RangeError(`layout ${spec.name} is longer than the section`);
  if (leadInMs % spec.ptimeMs !== 0) throw new RangeError('the lead-in must be whole frames');
  const parsed = stream.packets.map((packet) => ({ packet, rtp: parseRtpPacket(packet.bytes) }));
  const audio = parsed.filter(({ rtp }) => rtp.payloadType === PAYLOAD_TYPE_PCMU);
  const first = audio[0]?.rtp;
  const last = parsed.at(-1)?.rtp;
  if (!first || !last) throw new Error(`layout ${spec.name} has no audio`);
  // the stream the layout starts with, and the one it ends with (a new SSRC mid-call)
  const baseOf = (ssrc: number) =>
    mode(
      audio
        .filter(({ rtp }) => rtp.ssrc === ssrc)
        .map(({ packet, rtp }) => rtp.timestamp - packet.offsetMs * 8),
    );
  const leadFrames = leadInMs / spec.ptimeMs;
  const burst = () =>
    sines({ frequenciesHz: [PROBE_FREQUENCY_HZ], levelDbfs: PROBE_LEVEL_DBFS, durationMs: PROBE_BURST_MS });
  const [firstBefore, secondBefore] = EARLY_BURSTS_BEFORE_MS;
  const leadPcm = concatPcm([
    silence(leadInMs - firstBefore),
    burst(),
    silence(firstBefore - secondBefore - PROBE_BURST_MS),
    burst(),
    silence(secondBefore - PROBE_BURST_MS),
  ]);
  const startBase = baseOf(first.ssrc);
  const lead = pcmuFrames(leadPcm, {
    atMs: -leadInMs,
    ptimeMs: spec.ptimeMs,
    ssrc: first.ssrc,
    firstSeq: first.sequenceNumber - leadFrames,
    tsBase: startBase,
  });
  const endSsrc = last.ssrc;
  const endSeq = Math.max(
    ...parsed.filter(({ rtp }) => rtp.ssrc === endSsrc).map(({ rtp }) => rtp.sequenceNumber),
  );
  const tailFrom = roundUp(stream.durationMs, spec.ptimeMs);
  const bursts: Int16Array[] = [];
  for (let i = 0; i < PROBE_BURSTS; i += 1) {
    bursts.push(burst(), silence(i === PROBE_BURSTS - 1 ? PROBE_TAIL_MS : PROBE_PERIOD_MS - PROBE_BURST_MS));
  }
  const tsBase = baseOf(endSsrc);
  const tail = pcmuFrames(concatPcm([silence(sectionMs - tailFrom), ...bursts]), {
    atMs: tailFrom,
    ptimeMs: spec.ptimeMs,
    ssrc: endSsrc,
    firstSeq: endSeq + 1,
    tsBase,
  });
  const packets = [...lead, ...stream.packets, ...tail].map((packet) => ({
    ...packet,
    offsetMs: packet.offsetMs + leadInMs,
  }));
  const lastPacket = packets.at(-1) as TimedRtpPacket;
  return {
    layout: spec,
    packets,
    durationMs: lastPacket.offsetMs + spec.ptimeMs,
    keysStartMs: leadInMs,
    probeStartMs: leadInMs + sectionMs,
    probes: {
      early: {
        ssrc: first.ssrc,
        fromTimestamp: (startBase - EARLY_WINDOW_MS * 8) >>> 0,
        toTimestamp: startBase >>> 0,
      },
      late: { ssrc: endSsrc, fromTimestamp: (tsBase + sectionMs * 8) >>> 0, toTimestamp: 0x100000000 },
    },
    customerPcmuPackets: packets.filter((packet) => packet.payloadType === PAYLOAD_TYPE_PCMU).length,
    tailPcmuPackets: tail.length,
  };
}

export function streamPcap(stream: CustomerStream): Buffer {
  const writer = new PcapWriter();
  for (const packet of stream.packets) {
    writer.addUdp(START_US + Math.round(packet.offsetMs * 1000), {
      src: SRC,
      dst: DST,
      payload: packet.bytes,
    });
  }
  return writer.toBuffer();
}

/**
 * Keys the gateway should accept from a customer keying `keys` in `spec` (the rule of
 * test/support/masking-matrix.ts `expectedReports`, after the gateway's duplicate filter): none when
 * every end packet is lost (rtpengine 10.5 reports a key at its end packet: the key is masked but not
 * captured, a real customer keys the field again), else every key once (a key sent both ways, as an
 * event and as tone, is reported twice and the gateway drops the second). With masking off
 * (`passThrough`) no in-band detector runs: keys sent only as tones are not reported at all.
 */
export function keysAccepted(spec: Layout, keys: string, passThrough = false): number {
  if (spec.events && spec.loseEnd && spec.endCopies === 1) return 0;
  if (passThrough && !spec.events) return 0;
  return keys.length;
}

/** The mix every load draws its customers from: every layout of the masking matrix. */
export const CUSTOMER_MIX = MATRIX;

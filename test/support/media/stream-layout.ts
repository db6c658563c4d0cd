/**
 * The stream-layout generator: a customer's RTP stream keying digits the ways real phones and
 * gateways do, as a timed packet schedule (for a pcap SIPp plays, or a UDP sender). One `Layout`
 * describes how the phone lays out RFC 4733 events against its audio; `layoutStream` turns keys
 * into packets. Every field is a variation seen in the field or allowed by RFC 4733/3550:
 *
 * - `endCopies` 1–3: the end packet is sent once or retransmitted (RFC 4733 §2.5.1.4);
 * - `audio` `paused` (no audio packet while an event runs, the common way) or `flowing` (audio
 *   packets keep coming under the events, as baresip sends);
 * - `gapAfterMs` 0–60: audio stays paused this long after the end packets (a hole in the RTP
 *   timeline after every key; the layout that made rtpengine 10.5's masking drift);
 * - `offsetMs` 0–19: the key goes down this far into a packet interval (event timestamp off the grid);
 * - `ptimeMs` 10/20/30; `updateMs` 20–50: how often the event's duration is updated;
 * - `toneMs` / `interKeyMs`: key length (≥ 500 ms long keys) and the pause between keys (40 ms);
 * - `loseFirst` / `loseEnd`: the first event packet, or the first end packet, is lost;
 * - `reorderEvery`: every n-th packet swaps places with the next one on the wire;
 * - `loseEvery`: every n-th packet is lost on the way (its sequence number is missing);
 * - `noMarker`: no marker bit on an event's first packet;
 * - `newSsrcAtKey`: from this key on, a new SSRC with new sequence and timestamp bases;
 * - `inBandDbfs`: keys as in-band tones at this level per tone instead of events (`events: false`);
 * - `inBandUnderEvents`: with events and audio flowing, the audio under each event carries the key's
 *   tone too (a phone or gateway that sends a key both ways);
 * - `silenceSuppression`: with in-band tones, no audio packet between keys (VAD/DTX without comfort
 *   noise: the RTP timeline has a hole before every key), audio only from 40 ms before a key to 40 ms after.
 *
 * RTP timestamps follow the wall clock (8 kHz) as a phone's do, so a pause is a hole in the timeline.
 */
import { type DtmfDigit, dtmfTone, parseDtmfDigits } from './dtmf-tone.js';
import { encodePcmu, PCMU_SILENCE } from './g711.js';
import { PcapWriter } from './pcap-writer.js';
import {
  buildRtpPacket,
  buildTelephoneEvent,
  DEFAULT_TELEPHONE_EVENT_PT,
  digitToEvent,
  PAYLOAD_TYPE_PCMU,
} from './rtp.js';
import type { TimedRtpPacket } from './rtp-stream.js';

export interface Layout {
  /** A short name for tables (`end3 paused gap40`). */
  readonly name: string;
  /** RFC 4733 events (true) or in-band tones (false). */
  readonly events: boolean;
  /** Whether the customer's SDP offers telephone-event (with `events: false`: a phone that offers it but keys tones). */
  readonly offerTelephoneEvent: boolean;
  readonly endCopies: 1 | 2 | 3;
  readonly audio: 'paused' | 'flowing';
  readonly gapAfterMs: number;
  readonly offsetMs: number;
  readonly ptimeMs: 10 | 20 | 30;
  readonly updateMs: number;
  readonly toneMs: number;
  readonly interKeyMs: number;
  readonly loseFirst: boolean;
  readonly loseEnd: boolean;
  readonly reorderEvery: number;
  readonly loseEvery: number;
  readonly noMarker: boolean;
  readonly newSsrcAtKey: number;
  /** In-band tone level per tone, dBFS (used when `events` is false). */
  readonly inBandDbfs: number;
  readonly silenceSuppression: boolean;
  readonly inBandUnderEvents: boolean;
  /** Audio before the first key, ms (time to start a payment first). */
  readonly leadInMs: number;
}

/** The plain layout: three end packets, audio paused under events, on the grid, 20 ms frames. */
export const BASE_LAYOUT: Layout = {
  name: 'base',
  events: true,
  offerTelephoneEvent: true,
  endCopies: 3,
  audio: 'paused',
  gapAfterMs: 0,
  offsetMs: 0,
  ptimeMs: 20,
  updateMs: 20,
  toneMs: 80,
  interKeyMs: 80,
  loseFirst: false,
  loseEnd: false,
  reorderEvery: 0,
  loseEvery: 0,
  noMarker: false,
  newSsrcAtKey: -1,
  inBandDbfs: -20,
  silenceSuppression: false,
  inBandUnderEvents: false,
  leadInMs: 600,
};

export function layout(name: string, changes: Partial<Omit<Layout, 'name'>>): Layout {
  return { ...BASE_LAYOUT, ...changes, name };
}

export interface KeyWindow {
  readonly digit: DtmfDigit;
  /** Key down / key up, ms from the first packet. */
  readonly startMs: number;
  readonly endMs: number;
}

export interface LayoutStream {
  readonly layout: Layout;
  readonly keys: string;
  readonly packets: readonly TimedRtpPacket[];
  readonly windows: readonly KeyWindow[];
  readonly durationMs: number;
  /** The stream as a pcap for SIPp's play_pcap_audio. */
  toPcap(): Buffer;
}

const SSRCS = [0x746f6e65, 0x6d61736b];
const TAIL_MS = 600;

interface Draft {
  atMs: number;
  payloadType: number;
  marker: boolean;
  /** RTP timestamp relative to the SSRC's base (samples). */
  ts: number;
  payload: Uint8Array;
  epoch: number;
}

/** Key windows: lead-in, then key, pause, key … on the wall clock. */
function keyWindows(keys: readonly DtmfDigit[], spec: Layout): KeyWindow[] {
  let at = spec.leadInMs + spec.offsetMs;
  return keys.map((digit) => {
    const window = { digit, startMs: at, endMs: at + spec.toneMs };
    // the next key: after the key, its end packets and the phone's gap, then the pause
    at = window.endMs + spec.gapAfterMs + spec.interKeyMs;
    return window;
  });
}

function eventDrafts(window: KeyWindow, spec: Layout, epoch: number): Draft[] {
  const ts = window.startMs * 8;
  const event = digitToEvent(window.digit);
  const drafts: Draft[] = [];
  let first = true;
  for (let at = window.startMs; at < window.endMs; at += spec.updateMs) {
    const duration = Math.max(1, Math.round((at + spec.updateMs - window.startMs) * 8));
    drafts.push({
      atMs: at,
      payloadType: DEFAULT_TELEPHONE_EVENT_PT,
      marker: first && !spec.noMarker,
      ts,
      payload: buildTelephoneEvent({
        event,
        end: false,
        volume: 10,
        duration: Math.min(duration, (window.endMs - window.startMs) * 8),
      }),
      epoch,
    });
    first = false;
  }
  if (spec.loseFirst) drafts.shift();
  for (let copy = 0; copy < spec.endCopies; copy += 1) {
    if (spec.loseEnd && copy === 0) continue;
    drafts.push({
      atMs: window.endMs + copy * spec.ptimeMs,
      payloadType: DEFAULT_TELEPHONE_EVENT_PT,
      marker: false,
      ts,
      payload: buildTelephoneEvent({
        event,
        end: true,
        volume: 10,
        duration: (window.endMs - window.startMs) * 8,
      }),
      epoch,
    });
  }
  return drafts;
}

/** Whether audio pauses at `atMs`: under an event, its retransmits and the phone's gap after it. */
function audioPaused(atMs: number, frameMs: number, windows: readonly KeyWindow[], spec: Layout): boolean {
  if (!spec.events && spec.silenceSuppression) {
    const hangoverMs = 40;
    const talking = windows.some(
      (w) => atMs + frameMs > w.startMs - hangoverMs && atMs < w.endMs + hangoverMs,
    );
    return atMs >= spec.leadInMs / 2 && !talking;
  }
  if (!spec.events || spec.audio === 'flowing') return false;
  const tail = (spec.endCopies - 1) * spec.ptimeMs + spec.gapAfterMs;
  return windows.some((w) => atMs + frameMs > w.startMs && atMs < w.endMs + tail);
}

function audioFrame(atMs: number, frameMs: number, windows: readonly KeyWindow[], spec: Layout): Uint8Array {
  const samples = frameMs * 8;
  const pcm = new Int16Array(samples);
  if (!spec.events || spec.inBandUnderEvents) {
    for (const w of windows) {
      if (atMs + frameMs <= w.startMs || atMs >= w.endMs) continue;
      // the tone's samples for this frame, phase-continuous within the key
      const tone = dtmfTone(w.digit, { levelDbfs: spec.inBandDbfs, durationMs: w.endMs - w.startMs });
      for (let i = 0; i < samples; i += 1) {
        const t = (atMs - w.startMs) * 8 + i;
        if (t >= 0 && t < tone.length) pcm[i] = tone[t] ?? 0;
      }
    }
    return encodePcmu(pcm);
  }
  return new Uint8Array(samples).fill(PCMU_SILENCE);
}

/** Builds the stream for `keys` (digits, `*`, `#`) laid out as `spec` says. */
export function layoutStream(keys: string, spec: Layout): LayoutStream {
  const digits = parseDtmfDigits(keys);
  const windows = keyWindows(digits, spec);
  const last = windows.at(-1);
  const durationMs =
    (last ? last.endMs + spec.gapAfterMs + spec.endCopies * spec.ptimeMs : spec.leadInMs) + TAIL_MS;
  const epochStartMs =
    spec.newSsrcAtKey >= 0
      ? (windows[spec.newSsrcAtKey]?.startMs ?? Infinity) - spec.interKeyMs / 2
      : Infinity;
  const epochOf = (atMs: number) => (atMs >= epochStartMs ? 1 : 0);

  const drafts: Draft[] = [];
  for (let at = 0; at < durationMs; at += spec.ptimeMs) {
    if (audioPaused(at, spec.ptimeMs, windows, spec)) continue;
    drafts.push({
      atMs: at,
      payloadType: PAYLOAD_TYPE_PCMU,
      marker: at === 0,
      ts: at * 8,
      payload: audioFrame(at, spec.ptimeMs, windows, spec),
      epoch: epochOf(at),
    });
  }
  if (spec.events) {
    for (const w of windows) drafts.push(...eventDrafts(w, spec, epochOf(w.startMs)));
  }
  // wire order: time, then audio before an event packet sent at the same instant; numbered in that order
  drafts.sort((a, b) => a.atMs - b.atMs || a.payloadType - b.payloadType);
  const next = [1000, 30000];
  const sequenced = drafts.map((d) => {
    const seq = next[d.epoch] ?? 0;
    next[d.epoch] = seq + 1;
    return { ...d, seq: seq & 0xffff, marker: d.marker || (d.epoch === 1 && seq === 30000) };
  });
  if (spec.reorderEvery > 0) {
    // every n-th packet swaps places with the next: each keeps its numbers, they leave in each other's slot
    for (let i = spec.reorderEvery; i + 1 < sequenced.length; i += spec.reorderEvery + 1) {
      const a = sequenced[i] as Sequenced;
      const b = sequenced[i + 1] as Sequenced;
      sequenced[i] = { ...b, atMs: a.atMs };
      sequenced[i + 1] = { ...a, atMs: b.atMs };
    }
  }
  const kept = spec.loseEvery > 0 ? sequenced.filter((_, i) => (i + 1) % spec.loseEvery !== 0) : sequenced;
  const packets = kept.map(toTimedPacket);
  return {
    layout: spec,
    keys,
    packets,
    windows,
    durationMs,
    toPcap: () => toPcap(packets),
  };
}

type Sequenced = Draft & { seq: number };

const TS_BASES = [160_000, 3_000_000_000];

function toTimedPacket(d: Sequenced): TimedRtpPacket {
  return {
    offsetMs: d.atMs,
    payloadType: d.payloadType,
    bytes: buildRtpPacket({
      payloadType: d.payloadType,
      marker: d.marker,
      sequenceNumber: d.seq,
      timestamp: ((TS_BASES[d.epoch] ?? 0) + d.ts) >>> 0,
      ssrc: SSRCS[d.epoch] ?? 0,
      payload: d.payload,
    }),
  };
}

const START_US = Date.UTC(2024, 0, 1) * 1000;

function toPcap(packets: readonly TimedRtpPacket[]): Buffer {
  const writer = new PcapWriter();
  for (const packet of packets) {
    writer.addUdp(START_US + Math.round(packet.offsetMs * 1000), {
      src: { address: '127.0.0.1', port: 6000 },
      dst: { address: '127.0.0.1', port: 10000 },
      payload: packet.bytes,
    });
  }
  return writer.toBuffer();
}

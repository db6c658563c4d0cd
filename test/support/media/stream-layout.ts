/**
 * The stream-layout generator: a customer's RTP stream keying digits as a layout (layout.ts) says, as
 * a timed packet schedule (for a pcap SIPp plays, or a UDP sender). RTP timestamps follow the wall
 * clock (8 kHz) as a phone's do, so a pause is a hole in the timeline.
 */
import { parseDtmfDigits } from './dtmf-tone.js';
import { type KeyWindow, keyWindows, type Layout } from './layout.js';
import {
  audioFrame,
  audioPaused,
  type Draft,
  eventDrafts,
  type Sequenced,
  toTimedPacket,
} from './layout-packets.js';
import { PAYLOAD_TYPE_PCMU } from './rtp.js';
import type { TimedRtpPacket } from './rtp-stream.js';
import { timedPacketsPcap } from './timed-pcap.js';

export interface LayoutStream {
  readonly layout: Layout;
  readonly keys: string;
  readonly packets: readonly TimedRtpPacket[];
  readonly windows: readonly KeyWindow[];
  readonly durationMs: number;
  /** The stream as a pcap for SIPp's play_pcap_audio. */
  toPcap(): Buffer;
}

/** Builds the stream for `keys` (digits, `*`, `#`) laid out as `spec` says. */
export function layoutStream(keys: string, spec: Layout): LayoutStream {
  const digits = parseDtmfDigits(keys);
  const windows = keyWindows(digits, spec);
  const last = windows.at(-1);
  const durationMs =
    (last ? last.endMs + spec.gapAfterMs + spec.endCopies * spec.ptimeMs : spec.leadInMs) + spec.tailMs;
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
  const packets = withJitter(kept.map(toTimedPacket), spec.jitterMs);
  return {
    layout: spec,
    keys,
    packets,
    windows,
    durationMs,
    toPcap: () => timedPacketsPcap(packets),
  };
}

/**
 * Delays each packet by a pseudo-random 0…`jitterMs` (a fixed linear congruential sequence: the same
 * layout is the same stream every run), keeping the send order: a packet held up holds up the ones
 * behind it, which then leave together.
 */
function withJitter(packets: readonly TimedRtpPacket[], jitterMs: number): TimedRtpPacket[] {
  if (jitterMs <= 0) return [...packets];
  let state = 0x2545f491;
  let sentAt = 0;
  return packets.map((packet) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    sentAt = Math.max(sentAt, packet.offsetMs + Math.floor((state / 0x1_0000_0000) * (jitterMs + 1)));
    return { ...packet, offsetMs: sentAt };
  });
}

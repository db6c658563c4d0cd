/**
 * The packets of a stream layout (layout.ts), as drafts before they are numbered: the RFC 4733 events
 * of one key, the audio frames (paused or flowing, in-band tones), and a numbered draft as a timed RTP
 * packet on its stream (SSRC, timestamp base). Used by stream-layout.ts.
 */
import { dtmfTone } from './dtmf-tone.js';
import { encodePcmu, PCMU_SILENCE } from './g711.js';
import type { KeyWindow, Layout } from './layout.js';
import { buildRtpPacket, buildTelephoneEvent, DEFAULT_TELEPHONE_EVENT_PT, digitToEvent } from './rtp.js';
import type { TimedRtpPacket } from './rtp-stream.js';

/** Each epoch's SSRC and RTP timestamp base (a layout's `newSsrcAtKey` starts the second). */
const SSRCS = [0x746f6e65, 0x6d61736b];
const TS_BASES = [160_000, 3_000_000_000];

export interface Draft {
  atMs: number;
  payloadType: number;
  marker: boolean;
  /** RTP timestamp relative to the SSRC's base (samples). */
  ts: number;
  payload: Uint8Array;
  epoch: number;
}

export function eventDrafts(window: KeyWindow, spec: Layout, epoch: number): Draft[] {
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
export function audioPaused(
  atMs: number,
  frameMs: number,
  windows: readonly KeyWindow[],
  spec: Layout,
): boolean {
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

export function audioFrame(
  atMs: number,
  frameMs: number,
  windows: readonly KeyWindow[],
  spec: Layout,
): Uint8Array {
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

export type Sequenced = Draft & { seq: number };

/** A numbered draft as an RTP packet on its stream (the SSRC and timestamp base of its epoch). */
export function toTimedPacket(d: Sequenced): TimedRtpPacket {
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

/**
 * A stream layout: how a customer's phone lays out its keys against its audio, the ways real phones
 * and gateways do (stream-layout.ts `layoutStream` turns keys into packets in a layout). Every field is
 * a variation seen in the field or allowed by RFC 4733/3550:
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
 */
import type { DtmfDigit } from './dtmf-tone.js';

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
  /**
   * Network jitter: each packet leaves up to this many ms late (a fixed pseudo-random draw per
   * packet), never before the one sent ahead of it, so a late packet releases the ones queued behind
   * it in a burst, as a congested link or a stalled sender does. RTP timestamps keep the wall clock.
   */
  readonly jitterMs: number;
  readonly inBandUnderEvents: boolean;
  /** Audio before the first key, ms (time to start a payment first). */
  readonly leadInMs: number;
  /** Audio after the last key, ms (time for what follows a payment). */
  readonly tailMs: number;
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
  jitterMs: 0,
  inBandUnderEvents: false,
  leadInMs: 600,
  tailMs: 600,
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

/** Key windows: lead-in, then key, pause, key … on the wall clock. */
export function keyWindows(keys: readonly DtmfDigit[], spec: Layout): KeyWindow[] {
  let at = spec.leadInMs + spec.offsetMs;
  return keys.map((digit) => {
    const window = { digit, startMs: at, endMs: at + spec.toneMs };
    // the next key: after the key, its end packets and the phone's gap, then the pause
    at = window.endMs + spec.gapAfterMs + spec.interKeyMs;
    return window;
  });
}

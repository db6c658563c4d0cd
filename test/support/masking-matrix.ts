/**
 * The masking matrix: real calls through Kamailio and the three rtpengines, the customer playing a
 * stream from the layout generator (a whole payment and a retry: 43 keys), the agent's stream
 * recorded by an RTP sink and checked whole: telephone-events that carry a digit, and ms of DTMF
 * tone found by the Goertzel detector (−60 dBFS per tone). Optionally rtpengine's DTMF reports for
 * the customer (openDtmfReports) are read to check that the gateway would capture every key exactly
 * once (both hops' reports through its duplicate filter).
 *
 * A row runs outside capture (masking as Kamailio applies it at answer), or in capture: the customer's
 * audio is muted on the mute hop before the first key, as the gateway does while a payment captures.
 *
 * Used by test/integration/masking-matrix.test.ts (the suite) and scripts/masking-check.ts
 * (`./scripts/tonewall masking-check`, against a running stack).
 */
import { agentAudioReport } from './agent-audio.js';
import type { CallHarness, PlacedCall } from './call-harness.js';
import type { DtmfPcap } from './dtmf-pcap.js';
import type { DtmfReports } from './dtmf-reports.js';
import { type Layout, layout } from './media/layout.js';
import { layoutStream } from './media/stream-layout.js';

/** A card payment keyed whole (PAN #, expiry #, CVV #), then the PAN again (a retry): 43 keys. */
export const PAYMENT_KEYS = `${'4242424242424242'}#1230#123#${'5555555555554444'}#`;

/** The matrix the suite and `masking-check` run: every variation of the generator, in-band down to −40 dBFS. */
export const MATRIX: readonly Layout[] = [
  layout('end×3, audio paused', {}),
  layout('end×1', { endCopies: 1 }),
  layout('end×2, gap 20 ms', { endCopies: 2, gapAfterMs: 20 }),
  layout('end×3, gap 40 ms', { gapAfterMs: 40 }),
  layout('end×3, gap 60 ms', { gapAfterMs: 60 }),
  layout('audio flowing under events', { audio: 'flowing' }),
  layout('off grid +10 ms, gap 40 ms', { offsetMs: 10, gapAfterMs: 40 }),
  layout('off grid +5 ms, end×1', { offsetMs: 5, endCopies: 1 }),
  layout('ptime 10, gap 40 ms', { ptimeMs: 10, updateMs: 20, gapAfterMs: 40 }),
  layout('ptime 30, gap 60 ms', { ptimeMs: 30, updateMs: 30, gapAfterMs: 60 }),
  layout('updates every 50 ms, gap 40 ms', { updateMs: 50, toneMs: 150, gapAfterMs: 40 }),
  layout('long keys 500 ms, gap 40 ms', { toneMs: 500, interKeyMs: 60, gapAfterMs: 40 }),
  layout('keys 40 ms apart', { toneMs: 80, interKeyMs: 40 }),
  layout('first packet lost, gap 40 ms', { loseFirst: true, gapAfterMs: 40 }),
  layout('end packet lost (end×1: none)', { endCopies: 1, loseEnd: true, gapAfterMs: 20 }),
  layout('end packet lost (end×3)', { loseEnd: true, gapAfterMs: 40 }),
  layout('reordered every 5th, gap 40 ms', { reorderEvery: 5, gapAfterMs: 40 }),
  layout('no marker bit, gap 40 ms', { noMarker: true, gapAfterMs: 40 }),
  layout('new SSRC from key 20, gap 40 ms', { newSsrcAtKey: 20, gapAfterMs: 40 }),
  layout('in-band −20 dBFS, PCMU', { events: false, offerTelephoneEvent: false, inBandDbfs: -20 }),
  layout('in-band −20 dBFS, PCMU+TE', { events: false, inBandDbfs: -20 }),
  layout('in-band −30 dBFS, PCMU+TE', { events: false, inBandDbfs: -30 }),
  layout('in-band −40 dBFS, PCMU', { events: false, offerTelephoneEvent: false, inBandDbfs: -40 }),
  layout('in-band −40 dBFS, PCMU+TE', { events: false, inBandDbfs: -40 }),
  layout('in-band −30 dBFS, silence suppressed', {
    events: false,
    inBandDbfs: -30,
    silenceSuppression: true,
    interKeyMs: 200,
  }),
  layout('in-band −30 dBFS, PCMU, silence suppressed', {
    events: false,
    offerTelephoneEvent: false,
    inBandDbfs: -30,
    silenceSuppression: true,
    interKeyMs: 200,
  }),
  // network jitter: each packet 0–60 ms late, the ones behind a late one leaving in a burst
  layout('end×3, gap 40 ms, jitter 0–60 ms', { gapAfterMs: 40, jitterMs: 60 }),
  layout('in-band −20 dBFS, PCMU, jitter 0–60 ms', {
    events: false,
    offerTelephoneEvent: false,
    inBandDbfs: -20,
    jitterMs: 60,
  }),
  layout('in-band −40 dBFS, PCMU+TE, jitter 0–60 ms', { events: false, inBandDbfs: -40, jitterMs: 60 }),
  layout('in-band −30 dBFS, silence suppressed, jitter 0–60 ms', {
    events: false,
    inBandDbfs: -30,
    silenceSuppression: true,
    interKeyMs: 200,
    jitterMs: 60,
  }),
  layout('in-band −20 dBFS, every 30th packet lost', { events: false, inBandDbfs: -20, loseEvery: 30 }),
  layout('both ways: events and the tone under them', {
    audio: 'flowing',
    inBandUnderEvents: true,
    inBandDbfs: -20,
  }),
];

/**
 * What the gateway captures of a layout's keys: every key once (the edge reports events, the mask hop
 * tones; a phone that sends a key both ways is reported by both and the duplicate filter drops the
 * second); none for keys whose end packets are all lost (rtpengine 10.5 reports a key at its end
 * packet: masked, not captured; the customer keys the field again).
 */
export function expectedCapture(spec: Layout, keys: string): string {
  if (spec.events && spec.loseEnd && spec.endCopies === 1) return '';
  return keys;
}

/** How long after the mute the agent may still get packets that were on their way (mask hop's delay, DTX). */
const MUTE_DRAIN_MS = 150;

export interface MatrixRow {
  readonly layout: string;
  readonly keys: number;
  /** telephone-events carrying a digit that reached the agent. */
  readonly eventsAtAgent: number;
  /** ms of DTMF tone the detector found in the agent's audio. */
  readonly toneMsAtAgent: number;
  /** Loudest DTMF frequency at the agent, dBFS. */
  readonly maxDtmfDbfs: number;
  /** ms of audio the agent received / the customer sent (positive control: the call carried audio). */
  readonly agentAudioMs: number;
  readonly customerAudioMs: number;
  /** Capture rows: packets the agent got once the mute had taken effect (must be 0); undefined outside capture. */
  readonly packetsAfterMute: number | undefined;
  /** Both hops' reports for the customer, as many as rtpengine sent (a key sent both ways: two). */
  readonly reported: number | undefined;
  /** The keys the gateway would capture from them (its duplicate filter), or undefined when not read. */
  readonly captured: string | undefined;
  /** What it should capture (expectedCapture). */
  readonly expected: string;
}

/**
 * The share of the customer's audio the agent must get outside capture: 90 %, but 80 % where every
 * end packet of every key is lost — the edge (rtpengine 10.5, `packet_decode`) holds back the
 * customer's audio while an event it renders has not ended, until the next key starts (measured: 88 %).
 */
export function minimumAudioShare(layoutName: string): number {
  const spec = MATRIX.find((candidate) => candidate.name === layoutName);
  return spec?.events && spec.loseEnd && spec.endCopies === 1 ? 0.8 : 0.9;
}

/**
 * 0 digit events and 0 ms of tone at the agent; the audio came through (outside capture: the share
 * above; in capture: some before the mute, none after); the gateway would capture exactly the keys.
 */
export function rowPasses(row: MatrixRow): boolean {
  const audio =
    row.packetsAfterMute === undefined
      ? row.agentAudioMs >= minimumAudioShare(row.layout) * row.customerAudioMs
      : row.packetsAfterMute === 0 && row.agentAudioMs > 0;
  return (
    row.eventsAtAgent === 0 &&
    row.toneMsAtAgent === 0 &&
    audio &&
    (row.captured === undefined || row.captured === row.expected)
  );
}

const pcmuMs = (payloadBytes: readonly number[]) => payloadBytes.reduce((sum, n) => sum + n / 8, 0);

interface PreparedLayout {
  readonly spec: Layout;
  readonly keys: string;
  readonly stream: ReturnType<typeof layoutStream>;
  readonly pcap: DtmfPcap;
}

function prepare(spec: Layout, keys: string, capture: boolean): PreparedLayout {
  const stream = layoutStream(keys, capture ? { ...spec, leadInMs: 1500 } : spec);
  const pcap: DtmfPcap = {
    bytes: stream.toPcap(),
    keys,
    segments: stream.windows.map((w) => ({ digit: w.digit, startMs: w.startMs, endMs: w.endMs })),
    durationMs: stream.durationMs,
  };
  return { spec, keys, stream, pcap };
}

/** One call of the matrix: places it, waits for it to end, measures the agent's stream. */
export async function runLayout(
  harness: CallHarness,
  spec: Layout,
  options: {
    keys?: string;
    reports?: DtmfReports;
    /**
     * A capture row: runs once the call is answered (the agent gets audio), before the first key, and
     * mutes the customer's audio toward the agent as the gateway does when a payment starts.
     */
    mute?: (call: PlacedCall) => Promise<void>;
  } = {},
): Promise<MatrixRow> {
  const prepared = prepare(spec, options.keys ?? PAYMENT_KEYS, options.mute !== undefined);
  const call = await harness.placeCall({
    customer: { telephoneEvent: spec.offerTelephoneEvent, pcap: prepared.pcap },
  });
  const sink = call.agent.sink;
  if (!sink) throw new Error('the matrix needs an agent with a sink');
  let mutedAt: number | undefined;
  if (options.mute) {
    // the customer's audio does reach the agent first (10 frames), then the mute
    await sink.waitForPackets(10, 5000);
    await options.mute(call);
    await new Promise((resolve) => setTimeout(resolve, MUTE_DRAIN_MS));
    mutedAt = sink.records.length;
  }
  await harness.finish(call);
  // reports of the last key come when it ends (and after the mask hop's delay buffer)
  await new Promise((resolve) => setTimeout(resolve, 300));
  return measure(call, prepared, options.reports, mutedAt);
}

/**
 * Several rows outside capture at once, each on a call and a sink of its own (one agent UAS answers
 * them all: CallHarness.placeCallGroup). Every row is measured as runLayout measures one.
 */
export async function runLayoutGroup(
  harness: CallHarness,
  specs: readonly Layout[],
  options: { reports?: DtmfReports } = {},
): Promise<MatrixRow[]> {
  const prepared = specs.map((spec) => prepare(spec, PAYMENT_KEYS, false));
  const calls = await harness.placeCallGroup(
    prepared.map(({ spec, pcap }) => ({ telephoneEvent: spec.offerTelephoneEvent, pcap })),
  );
  await Promise.all(calls.map(({ customer }) => customer.sipp.succeeded(customer.holdMs + 15_000)));
  await calls[0]?.agent.sipp.succeeded(15_000);
  await Promise.all(
    calls.map(({ agent }) => (agent.sink?.records.length ? agent.sink.waitForQuiet(200, 5000) : undefined)),
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  return calls.map((call, i) => measure(call, prepared[i] as PreparedLayout, options.reports, undefined));
}

function measure(
  call: PlacedCall,
  { spec, keys, stream, pcap }: PreparedLayout,
  reports: DtmfReports | undefined,
  mutedAt: number | undefined,
): MatrixRow {
  const sink = call.agent.sink;
  if (!sink) throw new Error('the matrix needs an agent with a sink');
  const audio = agentAudioReport(sink, pcap);
  return {
    layout: spec.name,
    keys: keys.length,
    eventsAtAgent: audio.digitEvents,
    toneMsAtAgent: audio.toneMs,
    maxDtmfDbfs: audio.maxDtmfLevelDbfs,
    agentAudioMs: pcmuMs((sink.byPayloadType().get(0) ?? []).map((r) => r.packet.payload.length)),
    customerAudioMs: pcmuMs(
      stream.packets.filter((p) => p.payloadType === 0).map((p) => p.bytes.length - 12),
    ),
    packetsAfterMute: mutedAt === undefined ? undefined : sink.records.length - mutedAt,
    reported: reports?.keysOf(call.customer.sipCallId, call.customer.fromTag).length,
    captured: reports?.capturedKeysOf(call.customer.sipCallId, call.customer.fromTag),
    expected: expectedCapture(spec, keys),
  };
}

export function matrixTable(rows: readonly MatrixRow[]): string {
  const lines = [
    '| layout | keys | audio at agent / sent, ms | packets after mute | digit events at agent | ms of tone at agent | max DTMF dBFS at agent | reports | keys captured (expected) | result |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const captured =
      row.captured === undefined
        ? 'not read'
        : `${row.captured.length} (${row.expected.length})${row.captured === row.expected ? '' : ' WRONG'}`;
    lines.push(
      `| ${row.layout} | ${row.keys} | ${Math.round(row.agentAudioMs)}/${Math.round(row.customerAudioMs)} | ${row.packetsAfterMute ?? '—'} | ${row.eventsAtAgent} | ${row.toneMsAtAgent} | ${row.maxDtmfDbfs.toFixed(1)} | ${row.reported ?? '—'} | ${captured} | ${rowPasses(row) ? 'pass' : 'FAIL'} |`,
    );
  }
  return lines.join('\n');
}

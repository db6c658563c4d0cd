import { describe, expect, it } from 'vitest';
import {
  customerStream,
  keysAccepted,
  keysSectionMs,
  leadInFor,
  PROBE_BURSTS,
  streamPcap,
} from '../../../scripts/bench/customer-mix.js';
import {
  customerInjection,
  customerScenario,
  layoutIndexOf,
  pcapName,
} from '../../../scripts/bench/customer-scenario.js';
import { probeCallNumbers } from '../../../scripts/bench/delay-probe.js';
import { cardKeys } from '../../../scripts/bench/pcaps.js';
import { dtmfInPcap } from '../../support/agent-audio.js';
import { MATRIX } from '../../support/masking-matrix.js';
import { decodePcmu } from '../../support/media/g711.js';
import { layout } from '../../support/media/layout.js';
import { readPcap } from '../../support/media/pcap-reader.js';
import { PAYLOAD_TYPE_PCMU, parseRtpPacket } from '../../support/media/rtp.js';
import { layoutStream } from '../../support/media/stream-layout.js';

const keys = cardKeys(new Date('2026-01-01T00:00:00Z'));
const leadIn = leadInFor(1000);
const section = keysSectionMs(keys, MATRIX);

/** The pcap's packets in wire order, parsed. */
function streamsOf(bytes: Buffer) {
  return readPcap(bytes).udp.map((datagram) => ({
    timeUs: datagram.timeUs,
    rtp: parseRtpPacket(datagram.payload),
  }));
}

describe('bench customers (the layout generator behind a lead-in and a delay probe)', () => {
  it('the lead-in covers the ramp plus 3 s in whole 10, 20 and 30 ms frames', () => {
    expect(leadInFor(0)).toBe(3000);
    expect(leadInFor(3750)).toBe(6780);
    for (const ptime of [10, 20, 30]) expect(leadInFor(3750) % ptime).toBe(0);
  });

  it.each(
    MATRIX.map((spec) => ({ name: spec.name, spec })),
  )('$name: one continuous stream, probe bursts where it says, every layout the same length', ({ spec }) => {
    const stream = customerStream(keys, spec, leadIn, section);
    const packets = streamsOf(streamPcap(stream));
    const t0 = packets[0]?.timeUs ?? 0;
    expect(packets.length).toBe(stream.packets.length);
    // the layout's own packets unchanged, between a lead-in and a tail whose numbers continue its own
    const own = layoutStream(keys, spec).packets.map((packet) => parseRtpPacket(packet.bytes));
    const lead = packets.slice(0, leadIn / spec.ptimeMs).map((p) => p.rtp);
    const middle = packets.slice(lead.length, lead.length + own.length).map((p) => p.rtp);
    const tail = packets.slice(lead.length + own.length).map((p) => p.rtp);
    expect(middle).toEqual(own);
    const first = own.find((rtp) => rtp.payloadType === PAYLOAD_TYPE_PCMU);
    const last = own.at(-1);
    expect(lead.map((rtp) => rtp.sequenceNumber)).toEqual(
      lead.map((_, i) => (first?.sequenceNumber ?? 0) - lead.length + i),
    );
    expect(new Set(lead.map((rtp) => rtp.ssrc))).toEqual(new Set([first?.ssrc]));
    const lastSeq = Math.max(
      ...own.filter((rtp) => rtp.ssrc === last?.ssrc).map((rtp) => rtp.sequenceNumber),
    );
    expect(tail.map((rtp) => rtp.sequenceNumber)).toEqual(tail.map((_, i) => lastSeq + 1 + i));
    expect(new Set(tail.map((rtp) => rtp.ssrc))).toEqual(new Set([last?.ssrc]));
    // PCMU timestamps follow the wall clock: ts − 8·t is one value per SSRC (reordering aside)
    for (const ssrc of new Set(packets.map((p) => p.rtp.ssrc))) {
      const audio = packets.filter((p) => p.rtp.ssrc === ssrc && p.rtp.payloadType === PAYLOAD_TYPE_PCMU);
      const offsets = audio.map((p) => p.rtp.timestamp - ((p.timeUs - t0) / 1000) * 8);
      const counts = new Map<number, number>();
      for (const offset of offsets) counts.set(offset, (counts.get(offset) ?? 0) + 1);
      if (spec.jitterMs > 0) {
        // each packet leaves 0…jitterMs late, never earlier than its slot: the offsets spread by at most that
        expect((Math.max(...offsets) - Math.min(...offsets)) / 8).toBeLessThanOrEqual(spec.jitterMs);
        continue;
      }
      // a reordered packet leaves in its neighbour's slot: all but those keep the one offset
      const share = Math.max(...counts.values()) / offsets.length;
      expect(share).toBeGreaterThanOrEqual(spec.reorderEvery > 0 ? 0.6 : 1);
    }
    // every layout's probe starts at the same point, ≥ 1 s after its last packet of keys
    expect(stream.probeStartMs).toBe(leadIn + section);
    expect(stream.durationMs).toBeGreaterThanOrEqual(leadIn + section + PROBE_BURSTS * 1000 - 200);
    expect(stream.durationMs).toBeLessThanOrEqual(leadIn + section + PROBE_BURSTS * 1000 + 30);
    // the probe windows hold the bursts: 2 before the keys, 3 after, loud 1 kHz and nothing else
    const loudFrames = (window: { ssrc: number; fromTimestamp: number; toTimestamp: number }) =>
      packets.filter(
        (p) =>
          p.rtp.payloadType === PAYLOAD_TYPE_PCMU &&
          p.rtp.ssrc === window.ssrc &&
          p.rtp.timestamp >= window.fromTimestamp &&
          p.rtp.timestamp < window.toTimestamp &&
          Math.max(...decodePcmu(p.rtp.payload).map(Math.abs)) > 3000,
      ).length;
    expect(loudFrames(stream.probes.early)).toBeGreaterThanOrEqual((2 * 200) / spec.ptimeMs);
    expect(loudFrames(stream.probes.early)).toBeLessThanOrEqual((2 * 200) / spec.ptimeMs + 2);
    expect(loudFrames(stream.probes.late)).toBeGreaterThanOrEqual((3 * 200) / spec.ptimeMs);
    expect(loudFrames(stream.probes.late)).toBeLessThanOrEqual((3 * 200) / spec.ptimeMs + 3);
  });

  it('in-band layouts still key the card in tone the detector hears; the probe is no DTMF', () => {
    const inBand = MATRIX.find((spec) => !spec.events && spec.inBandDbfs === -20);
    const events = MATRIX.find((spec) => spec.events);
    if (!inBand || !events) throw new Error('the matrix has no in-band or event layout');
    expect(dtmfInPcap(streamPcap(customerStream(keys, inBand, leadIn, section))).digitString).toBe(keys);
    expect(dtmfInPcap(streamPcap(customerStream(keys, events, leadIn, section))).digitString).toBe('');
  });

  it('keys accepted: all but where every end packet is lost; masking off, none sent as tone only', () => {
    expect(keysAccepted(layout('plain', {}), keys)).toBe(24);
    expect(keysAccepted(layout('none', { endCopies: 1, loseEnd: true }), keys)).toBe(0);
    expect(keysAccepted(layout('end×3 one lost', { loseEnd: true }), keys)).toBe(24);
    const tones = layout('tones', { events: false });
    expect(keysAccepted(tones, keys)).toBe(24);
    expect(keysAccepted(tones, keys, true)).toBe(0);
    expect(keysAccepted(layout('plain', {}), keys, true)).toBe(24);
  });

  it('call n takes layout (n − 1) mod size; the injection file says its pcap and SDP', () => {
    const mix = [
      layout('a', {}),
      layout('b', { events: false, offerTelephoneEvent: false }),
      layout('c', { events: false }),
    ];
    expect([1, 2, 3, 4, 7].map((n) => layoutIndexOf(n, 3))).toEqual([0, 1, 2, 0, 0]);
    expect(customerInjection(4, mix)).toBe('SEQUENTIAL\n0;1\n1;0\n2;1\n0;1\n');
  });

  it('the scenario plays the pcap of the line and offers telephone-event as told', () => {
    const xml = customerScenario(3);
    for (let i = 0; i < 3; i += 1) {
      expect(xml).toContain(`<test assign_to="l${i}" variable="layout" compare="equal" value="${i}"/>`);
      expect(xml).toContain(`<nop condexec="l${i}">`);
      expect(xml).toContain(`play_pcap_audio="${pcapName(i)}"`);
    }
    expect(xml).toContain('<nop next="invite_te" test="te"/>');
    expect(xml.match(/m=audio \[media_port\] RTP\/AVP 0\n/g)).toHaveLength(1);
    expect(xml.match(/m=audio \[media_port\] RTP\/AVP 0 101\n/g)).toHaveLength(1);
    expect(xml).toContain(';tag=[pid]c[call_number]');
  });

  it('delay probes: one call of each layout first, spread over the ramp, then evenly', () => {
    const probes = probeCallNumbers(150, 26, 26);
    expect(probes).toHaveLength(26);
    expect(new Set(probes.map((n) => layoutIndexOf(n, 26))).size).toBe(26);
    expect(Math.max(...probes)).toBeGreaterThan(100);
    expect(probeCallNumbers(10, 26, 26)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const more = probeCallNumbers(100, 30, 26);
    expect(new Set(more).size).toBe(30);
    expect(more.every((n) => n >= 1 && n <= 100)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { deskCallNumbers, keysEndOnTheWire } from '../../../scripts/bench/agent-desks.js';
import { type DeskRender, packetToDesk, pairDesk } from '../../../scripts/bench/desk-pairing.js';
import { deskFigures, packetToDeskCell } from '../../../scripts/bench/desk-summary.js';
import { digitEndTimesMs, measurePacketToDesk } from '../../../scripts/bench/key-end-packets.js';
import type { LoadResult } from '../../../scripts/bench/load-types.js';
import { cardKeys } from '../../../scripts/bench/pcaps.js';
import { MATRIX } from '../../support/masking-matrix.js';
import { BASE_LAYOUT, type Layout } from '../../support/media/layout.js';
import type { PcapUdpDatagram } from '../../support/media/pcap-reader.js';
import { PcapWriter } from '../../support/media/pcap-writer.js';
import { parseRtpPacket, parseTelephoneEvent } from '../../support/media/rtp.js';
import { layoutStream } from '../../support/media/stream-layout.js';

const KEYS = cardKeys(new Date('2026-01-01T00:00:00Z')); // 24 keys, 23 of them digits
const T0_US = Date.UTC(2026, 0, 1) * 1000;
const AGENT = '127.0.0.4';
const EDGE_PORT = 20_010;

/** The customer's stream in `spec` as captured on its way to the edge (one datagram a packet). */
function captured(spec: Layout, dstPort = EDGE_PORT, dstAddress = '127.0.0.1'): PcapUdpDatagram[] {
  return layoutStream(KEYS, spec).packets.map((packet) => ({
    timeUs: T0_US + Math.round(packet.offsetMs * 1000),
    srcAddress: '127.0.0.1',
    srcPort: 7100,
    dstAddress,
    dstPort,
    ipChecksumOk: true,
    udpChecksum: 0,
    payload: packet.bytes,
  }));
}

/** The first end packet of each digit event, from the generator's own packets (what the reader must find). */
function expectedEnds(spec: Layout): number[] {
  const firsts = new Map<string, number>();
  for (const packet of layoutStream(KEYS, spec).packets) {
    if (packet.payloadType !== 101) continue;
    const rtp = parseRtpPacket(packet.bytes);
    const event = parseTelephoneEvent(rtp.payload);
    const key = `${rtp.ssrc}/${rtp.timestamp}`;
    if (event.end && event.event <= 9 && !firsts.has(key)) firsts.set(key, packet.offsetMs);
  }
  return [...firsts.values()].sort((a, b) => a - b).map((ms) => T0_US / 1000 + ms);
}

const layout = (name: string) => MATRIX.find((spec) => spec.name === name) as Layout;

describe('bench: the end packet of each key, as captured', () => {
  it('finds one time per digit (not #), the first of its three end copies', () => {
    const times = digitEndTimesMs(captured(BASE_LAYOUT), { edgePort: EDGE_PORT }, AGENT);
    expect(times).toHaveLength(23);
    expect(times).toEqual(expectedEnds(BASE_LAYOUT));
    // three copies 20 ms apart: the first one, not the last
    const endPackets = captured(BASE_LAYOUT).filter((d) => {
      const rtp = parseRtpPacket(d.payload);
      return rtp.payloadType === 101 && parseTelephoneEvent(rtp.payload).end;
    });
    expect(times[0]).toBe((endPackets[0]?.timeUs ?? 0) / 1000);
    expect(new Set(times).size).toBe(23);
  });

  it('keeps order and the first copy when packets are reordered, the first end lost or the SSRC changes', () => {
    for (const name of [
      'reordered every 5th, gap 40 ms',
      'end packet lost (end×3)',
      'new SSRC from key 20, gap 40 ms',
    ]) {
      const spec = layout(name);
      const shuffled = captured(spec).reverse(); // capture order does not matter: time does
      const times = digitEndTimesMs(shuffled, { edgePort: EDGE_PORT }, AGENT);
      expect(times, name).toHaveLength(23);
      expect(times, name).toEqual(expectedEnds(spec));
    }
  });

  it("reads only the customer's stream to that edge port (not the agent's, not another call's)", () => {
    expect(digitEndTimesMs(captured(BASE_LAYOUT, EDGE_PORT + 2), { edgePort: EDGE_PORT }, AGENT)).toEqual([]);
    expect(digitEndTimesMs(captured(BASE_LAYOUT, EDGE_PORT, AGENT), { edgePort: EDGE_PORT }, AGENT)).toEqual(
      [],
    );
  });

  it('gives desks to RFC 4733 layouts only: not tones, not a key sent both ways, not ends all lost', () => {
    expect(keysEndOnTheWire(BASE_LAYOUT)).toBe(true);
    expect(keysEndOnTheWire(layout('in-band −20 dBFS, PCMU'))).toBe(false);
    expect(keysEndOnTheWire(layout('both ways: events and the tone under them'))).toBe(false);
    expect(keysEndOnTheWire(layout('end packet lost (end×1: none)'))).toBe(false);
    const inBand = MATRIX.findIndex((spec) => !spec.events) + 1;
    const numbers = deskCallNumbers([inBand, 1, 2, 3, 4, 5, 6], MATRIX, 5);
    expect(numbers).not.toContain(inBand);
    expect(numbers).toHaveLength(5);
  });
});

describe('bench: pairing end packets with the desk', () => {
  const packets = [1000, 1180, 1360];

  it('pairs key i with the first render counting i digits, two keys in one frame sharing it', () => {
    const renders: DeskRender[] = [
      { digits: 0, atMs: 900 },
      { digits: 1, atMs: 1040.04 },
      { digits: 3, atMs: 1400 },
    ];
    expect(pairDesk(packets, renders)).toEqual({ latenciesMs: [40, 220, 40] });
  });

  it('does not pair a desk opened late, a count that differs or goes down, and says why', () => {
    expect(
      pairDesk(packets, [
        { digits: 1, atMs: 1050 },
        { digits: 3, atMs: 1400 },
      ]).unpaired,
    ).toMatch(/opened after the first key \(its first count 1, drawn 50 ms after/);
    expect(
      pairDesk(packets, [
        { digits: 0, atMs: 1 },
        { digits: 4, atMs: 1400 },
      ]).unpaired,
    ).toBe('3 digits ended on the wire, the desk counted 4');
    const down = [0, 2, 1, 3].map((digits, i) => ({ digits, atMs: 1000 + i * 100 }));
    expect(pairDesk(packets, down).unpaired).toMatch(/went down/);
    expect(pairDesk([], [{ digits: 0, atMs: 1 }]).unpaired).toBe('no end packet captured');
    expect(pairDesk(packets, []).unpaired).toBe('the desk drew no digit count');
  });

  it('sums a load: paired desks, every paired digit, and why the others were not', () => {
    const result = packetToDesk([
      {
        sipCallId: 'a',
        packetMs: packets,
        renders: [
          { digits: 0, atMs: 0 },
          { digits: 3, atMs: 1500 },
        ],
      },
      { sipCallId: 'b', packetMs: packets, renders: [{ digits: 2, atMs: 1200 }] },
    ]);
    expect(result).toMatchObject({ desks: 2, paired: 1, latenciesMs: [500, 320, 140] });
    expect(result.unpaired).toEqual([expect.stringMatching(/^b: the desk opened after/)]);
  });

  it('measures desks against a real capture file; a desk whose call was not probed has no packets', () => {
    const writer = new PcapWriter();
    for (const d of captured(BASE_LAYOUT))
      writer.addUdp(d.timeUs, {
        src: { address: d.srcAddress, port: d.srcPort },
        dst: { address: d.dstAddress, port: d.dstPort },
        payload: d.payload,
      });
    const ends = expectedEnds(BASE_LAYOUT);
    const renders = [{ digits: 0, atMs: 0 }, ...ends.map((at, i) => ({ digits: i + 1, atMs: at + 30 }))];
    const measured = measurePacketToDesk(
      writer.toBuffer(),
      [{ sipCallId: 'probed', edgePort: EDGE_PORT }],
      [
        { sipCallId: 'probed', renders },
        { sipCallId: 'not-probed', renders },
      ],
      AGENT,
    );
    expect(measured.paired).toBe(1);
    expect(measured.latenciesMs).toEqual(Array(23).fill(30));
    expect(measured.unpaired).toEqual(['not-probed: no end packet captured']);
  });
});

describe('bench report: customer packet → agent desk', () => {
  const result = (packetToDesk?: LoadResult['packetToDesk']) => ({ packetToDesk }) as LoadResult;

  it('prints p50 / p99 with keys and desks over the runs; – for a bench without desks', () => {
    const figures = deskFigures([
      result({ desks: 5, paired: 4, latenciesMs: [10, 20, 30, 40, 100], unpaired: ['x'] }),
      result({ desks: 5, paired: 5, latenciesMs: [12, 22], unpaired: [] }),
    ]);
    expect(figures).toMatchObject({ deskKeys: 7, desks: 10, desksPaired: 9 });
    expect(packetToDeskCell(figures)).toBe('21.0 (12.0–30.0) / 61.0 (22.0–100.0) (7 keys, 9 of 10 desks)');
    expect(packetToDeskCell(deskFigures([result(), result()]))).toBe('–');
    expect(
      packetToDeskCell(deskFigures([result({ desks: 3, paired: 0, latenciesMs: [], unpaired: [] })])),
    ).toBe('– / – (0 keys, 0 of 3 desks)');
  });
});

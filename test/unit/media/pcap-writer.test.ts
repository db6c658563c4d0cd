import { describe, expect, it } from 'vitest';
import { readPcap } from '../../support/media/pcap-reader.js';
import {
  buildUdpFrame,
  ipv4HeaderChecksum,
  LINKTYPE_ETHERNET,
  PcapWriter,
  udpChecksum,
} from '../../support/media/pcap-writer.js';

const src = { address: '127.0.0.1', port: 6000 };
const dst = { address: '127.0.0.2', port: 10000 };

describe('pcap writer', () => {
  it('computes the RFC 1071 checksum of a known IPv4 header', () => {
    // Example header from RFC 1071 discussions (checksum 0xb861).
    const header = Buffer.from('450000730000400040110000c0a80001c0a800c7', 'hex');
    expect(ipv4HeaderChecksum(header)).toBe(0xb861);
  });

  it('frames UDP in Ethernet + IPv4 with checksums that verify', () => {
    const payload = Buffer.from('hello, rtp!');
    const frame = buildUdpFrame({ src, dst, payload, ipId: 7 });
    expect(frame.length).toBe(14 + 20 + 8 + payload.length);
    expect(frame.readUInt16BE(12)).toBe(0x0800);
    const ip = frame.subarray(14, 34);
    expect(ipv4HeaderChecksum(ip)).toBe(0); // a correct header sums to 0xffff
    const udp = Buffer.from(frame.subarray(34));
    const written = udp.readUInt16BE(6);
    udp.writeUInt16BE(0, 6);
    expect(udpChecksum(ip.subarray(12, 16), ip.subarray(16, 20), udp)).toBe(written);
  });

  it('writes a classic pcap that reads back with timestamps and payloads', () => {
    const writer = new PcapWriter();
    const t0 = Date.UTC(2024, 0, 1) * 1000;
    for (let i = 0; i < 3; i += 1)
      writer.addUdp(t0 + i * 20_000, { src, dst, payload: Buffer.from([i, 1, 2]) });
    const file = writer.toBuffer();
    expect(file.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(file.readUInt16LE(4)).toBe(2);
    expect(file.readUInt16LE(6)).toBe(4);
    expect(file.readUInt32LE(20)).toBe(LINKTYPE_ETHERNET);
    const read = readPcap(file);
    expect(read.linkType).toBe(LINKTYPE_ETHERNET);
    expect(read.udp.map((d) => d.timeUs - t0)).toEqual([0, 20_000, 40_000]);
    expect(read.udp.every((d) => d.ipChecksumOk && d.udpChecksum !== 0)).toBe(true);
    expect(read.udp[2]).toMatchObject({
      srcAddress: '127.0.0.1',
      srcPort: 6000,
      dstAddress: '127.0.0.2',
      dstPort: 10000,
    });
    expect([...(read.udp[2]?.payload ?? [])]).toEqual([2, 1, 2]);
    expect(writer.packetCount).toBe(3);
  });

  it('rejects bad addresses and timestamps', () => {
    expect(() =>
      buildUdpFrame({ src: { address: '127.0.0', port: 1 }, dst, payload: Buffer.alloc(0) }),
    ).toThrow(RangeError);
    expect(() => new PcapWriter().addFrame(-1, Buffer.alloc(10))).toThrow(RangeError);
  });
});

/**
 * Classic libpcap reader for Ethernet (or Linux cooked) captures of IPv4 UDP, enough to
 * read back what PcapWriter writes and the sample pcaps SIPp ships.
 */
import { MediaFormatError } from './errors.js';

export interface PcapUdpDatagram {
  /** Capture time, microseconds since the epoch. */
  timeUs: number;
  srcAddress: string;
  srcPort: number;
  dstAddress: string;
  dstPort: number;
  /** Whether the IPv4 header checksum verifies. */
  ipChecksumOk: boolean;
  /** The UDP checksum field as written (0 = none). */
  udpChecksum: number;
  payload: Buffer;
}

export interface PcapFile {
  linkType: number;
  /** Every record, in file order, as raw frames. */
  frames: { timeUs: number; data: Buffer }[];
  /** The records that are IPv4 UDP. */
  udp: PcapUdpDatagram[];
}

const LINK_HEADER_BYTES: Record<number, number> = { 1: 14, 113: 16 };

function ipString(bytes: Buffer): string {
  return [...bytes].join('.');
}

function ipv4ChecksumOk(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

export function readPcap(file: Buffer): PcapFile {
  const fail = (what: string): never => {
    throw new MediaFormatError('PCAP_MALFORMED', `pcap: ${what}`);
  };
  if (file.length < 24) fail('shorter than the global header');
  const magic = file.readUInt32LE(0);
  const littleEndian = magic === 0xa1b2c3d4;
  if (!littleEndian && magic !== 0xd4c3b2a1) fail('not a microsecond libpcap file');
  const u32 = (offset: number) => (littleEndian ? file.readUInt32LE(offset) : file.readUInt32BE(offset));
  const linkType = u32(20);
  const linkHeader = LINK_HEADER_BYTES[linkType] ?? fail('unsupported link type');
  const frames: PcapFile['frames'] = [];
  const udp: PcapUdpDatagram[] = [];
  let offset = 24;
  while (offset < file.length) {
    if (offset + 16 > file.length) fail('record header truncated');
    const timeUs = u32(offset) * 1e6 + u32(offset + 4);
    const capturedLength = u32(offset + 8);
    const data = file.subarray(offset + 16, offset + 16 + capturedLength);
    if (data.length < capturedLength) fail('record truncated');
    offset += 16 + capturedLength;
    frames.push({ timeUs, data });
    const datagram = udpOf(data, linkHeader, timeUs);
    if (datagram) udp.push(datagram);
  }
  return { linkType, frames, udp };
}

function udpOf(frame: Buffer, linkHeader: number, timeUs: number): PcapUdpDatagram | null {
  if (frame.length < linkHeader + 28 || frame.readUInt16BE(linkHeader - 2) !== 0x0800) return null;
  const ip = frame.subarray(linkHeader);
  const ihl = ((ip[0] ?? 0) & 0x0f) * 4;
  if ((ip[0] ?? 0) >> 4 !== 4 || ip[9] !== 17 || ip.length < ihl + 8) return null;
  const udpSegment = ip.subarray(ihl);
  const udpLength = udpSegment.readUInt16BE(4);
  return {
    timeUs,
    srcAddress: ipString(ip.subarray(12, 16)),
    dstAddress: ipString(ip.subarray(16, 20)),
    srcPort: udpSegment.readUInt16BE(0),
    dstPort: udpSegment.readUInt16BE(2),
    ipChecksumOk: ipv4ChecksumOk(ip.subarray(0, ihl)),
    udpChecksum: udpSegment.readUInt16BE(6),
    payload: Buffer.from(udpSegment.subarray(8, Math.min(udpLength, udpSegment.length))),
  };
}

/**
 * Classic libpcap writer (magic a1b2c3d4, v2.4, microsecond timestamps, LINKTYPE_ETHERNET)
 * for UDP datagrams framed as Ethernet II + IPv4 + UDP, with correct IPv4 header and UDP
 * checksums. This is the shape SIPp's `play_pcap_audio` reads: it takes the UDP header and
 * payload of each packet, replays packets at the pcap timestamps, and maps the lowest
 * destination port in the file to the call's media port.
 */

export const PCAP_MAGIC = 0xa1b2c3d4;
export const LINKTYPE_ETHERNET = 1;
export const ETHERNET_HEADER_BYTES = 14;
export const IPV4_HEADER_BYTES = 20;
export const UDP_HEADER_BYTES = 8;
const PCAP_GLOBAL_HEADER_BYTES = 24;
const PCAP_RECORD_HEADER_BYTES = 16;
const ETHERTYPE_IPV4 = 0x0800;
const IP_PROTOCOL_UDP = 17;

export interface UdpAddress {
  address: string;
  port: number;
}

export interface UdpFrameInput {
  src: UdpAddress;
  dst: UdpAddress;
  payload: Uint8Array;
  /** IPv4 identification field (default 0). */
  ipId?: number;
  ttl?: number;
  srcMac?: string;
  dstMac?: string;
}

export function parseIpv4(address: string): Uint8Array {
  const parts = address.split('.');
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  if (bytes.length !== 4 || bytes.some((b) => !(b >= 0 && b <= 255))) {
    throw new RangeError(`not an IPv4 address: ${address}`);
  }
  return Uint8Array.from(bytes);
}

function parseMac(mac: string): Uint8Array {
  const bytes = mac.split(':').map((h) => (/^[0-9a-f]{2}$/i.test(h) ? Number.parseInt(h, 16) : Number.NaN));
  if (bytes.length !== 6 || bytes.some(Number.isNaN)) throw new RangeError(`not a MAC address: ${mac}`);
  return Uint8Array.from(bytes);
}

/** Ones'-complement sum of 16-bit big-endian words (odd length padded with a zero byte). */
function onesComplementSum(chunks: readonly Uint8Array[]): number {
  let sum = 0;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i += 2) sum += ((chunk[i] ?? 0) << 8) | (chunk[i + 1] ?? 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** RFC 791 header checksum of an IPv4 header whose checksum field is zero. */
export function ipv4HeaderChecksum(header: Uint8Array): number {
  return ~onesComplementSum([header]) & 0xffff;
}

/** RFC 768 checksum of a UDP segment (header with zero checksum + payload); 0 is sent as 0xffff. */
export function udpChecksum(srcIp: Uint8Array, dstIp: Uint8Array, segment: Uint8Array): number {
  const pseudo = new Uint8Array(12);
  pseudo.set(srcIp, 0);
  pseudo.set(dstIp, 4);
  pseudo[9] = IP_PROTOCOL_UDP;
  pseudo[10] = segment.length >> 8;
  pseudo[11] = segment.length & 0xff;
  const checksum = ~onesComplementSum([pseudo, segment]) & 0xffff;
  return checksum === 0 ? 0xffff : checksum;
}

/** Builds an Ethernet II + IPv4 + UDP frame around `payload`. */
export function buildUdpFrame(input: UdpFrameInput): Buffer {
  const { src, dst, payload, ipId = 0, ttl = 64 } = input;
  const srcIp = parseIpv4(src.address);
  const dstIp = parseIpv4(dst.address);
  const udpLength = UDP_HEADER_BYTES + payload.length;
  const ipLength = IPV4_HEADER_BYTES + udpLength;
  if (ipLength > 0xffff) throw new RangeError('UDP payload too large for one IPv4 packet');
  const frame = Buffer.alloc(ETHERNET_HEADER_BYTES + ipLength);
  frame.set(parseMac(input.dstMac ?? '02:00:00:00:00:02'), 0);
  frame.set(parseMac(input.srcMac ?? '02:00:00:00:00:01'), 6);
  frame.writeUInt16BE(ETHERTYPE_IPV4, 12);

  const ip = frame.subarray(ETHERNET_HEADER_BYTES, ETHERNET_HEADER_BYTES + IPV4_HEADER_BYTES);
  ip[0] = 0x45;
  ip.writeUInt16BE(ipLength, 2);
  ip.writeUInt16BE(ipId & 0xffff, 4);
  ip.writeUInt16BE(0x4000, 6); // don't fragment
  ip[8] = ttl;
  ip[9] = IP_PROTOCOL_UDP;
  ip.set(srcIp, 12);
  ip.set(dstIp, 16);
  ip.writeUInt16BE(ipv4HeaderChecksum(ip), 10);

  const udp = frame.subarray(ETHERNET_HEADER_BYTES + IPV4_HEADER_BYTES);
  udp.writeUInt16BE(src.port, 0);
  udp.writeUInt16BE(dst.port, 2);
  udp.writeUInt16BE(udpLength, 4);
  udp.set(payload, UDP_HEADER_BYTES);
  udp.writeUInt16BE(udpChecksum(srcIp, dstIp, udp), 6);
  return frame;
}

export interface PcapWriterOptions {
  snapLength?: number;
}

/** Accumulates frames in memory; `toBuffer()` gives the whole pcap file. */
export class PcapWriter {
  readonly #snapLength: number;
  readonly #records: Buffer[] = [];
  #count = 0;
  #ipId = 0;

  constructor(options: PcapWriterOptions = {}) {
    this.#snapLength = options.snapLength ?? 65535;
  }

  get packetCount(): number {
    return this.#count;
  }

  /** Adds a link-layer (Ethernet) frame captured at `timeUs` microseconds since the epoch. */
  addFrame(timeUs: number, frame: Uint8Array): void {
    if (!Number.isSafeInteger(timeUs) || timeUs < 0)
      throw new RangeError('timeUs must be a non-negative integer');
    if (frame.length > this.#snapLength) throw new RangeError('frame longer than the snap length');
    const header = Buffer.alloc(PCAP_RECORD_HEADER_BYTES);
    header.writeUInt32LE(Math.floor(timeUs / 1e6), 0);
    header.writeUInt32LE(timeUs % 1e6, 4);
    header.writeUInt32LE(frame.length, 8);
    header.writeUInt32LE(frame.length, 12);
    this.#records.push(header, Buffer.from(frame));
    this.#count += 1;
  }

  /** Adds a UDP datagram; the IPv4 identification increments per datagram. */
  addUdp(timeUs: number, datagram: Omit<UdpFrameInput, 'ipId'>): void {
    this.addFrame(timeUs, buildUdpFrame({ ...datagram, ipId: this.#ipId }));
    this.#ipId = (this.#ipId + 1) & 0xffff;
  }

  toBuffer(): Buffer {
    const header = Buffer.alloc(PCAP_GLOBAL_HEADER_BYTES);
    header.writeUInt32LE(PCAP_MAGIC, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeInt32LE(0, 8);
    header.writeUInt32LE(0, 12);
    header.writeUInt32LE(this.#snapLength, 16);
    header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
    return Buffer.concat([header, ...this.#records]);
  }
}

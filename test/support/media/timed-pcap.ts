/**
 * A timed RTP packet schedule as a pcap for SIPp's `play_pcap_audio`: one UDP datagram a packet,
 * 127.0.0.1:6000 → 127.0.0.1:10000, at its offset from a fixed capture start, so that a pcap is the
 * same byte for byte every time (as scripts/make-tone-pcap.ts does).
 */
import { PcapWriter } from './pcap-writer.js';
import type { TimedRtpPacket } from './rtp-stream.js';

const START_US = Date.UTC(2024, 0, 1) * 1000;
const SRC = { address: '127.0.0.1', port: 6000 };
const DST = { address: '127.0.0.1', port: 10000 };

export function timedPacketsPcap(packets: readonly TimedRtpPacket[]): Buffer {
  const writer = new PcapWriter();
  for (const packet of packets) {
    writer.addUdp(START_US + Math.round(packet.offsetMs * 1000), {
      src: SRC,
      dst: DST,
      payload: packet.bytes,
    });
  }
  return writer.toBuffer();
}

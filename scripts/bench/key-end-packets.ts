/**
 * Where each key of a probed call ends on the wire: the customer's RFC 4733 end packet (telephone-event,
 * E bit), first copy, in the customer → edge stream tcpdump captured (delay-probe.ts). rtpengine reports
 * a key at its end packet, so this packet is what completes the key. An event is one (SSRC, RTP
 * timestamp); its retransmitted end packets (RFC 4733 §2.5.1.4) are the same key. Digits only (events
 * 0–9): `#` and `*` change no digit count on the desk. In-band tones have no such packet: calls keying
 * tones are not measured (the desks are opened on RFC 4733 layouts only: agent-desks.ts). Pure.
 */
import { type PcapUdpDatagram, readPcap } from '../../test/support/media/pcap-reader.js';
import {
  DEFAULT_TELEPHONE_EVENT_PT,
  parseRtpPacket,
  parseTelephoneEvent,
} from '../../test/support/media/rtp.js';
import { type DeskRender, type PacketToDesk, packetToDesk } from './desk-pairing.js';

/** Capture times (wall clock, ms since the epoch, µs resolution) of each digit's first end packet, in order. */
export function digitEndTimesMs(
  udp: readonly PcapUdpDatagram[],
  call: { readonly edgePort: number },
  agentAddress: string,
  payloadType = DEFAULT_TELEPHONE_EVENT_PT,
): number[] {
  const firstEnd = new Map<string, number>();
  for (const datagram of udp) {
    if (datagram.dstPort !== call.edgePort || datagram.dstAddress === agentAddress) continue;
    let key: string;
    try {
      const rtp = parseRtpPacket(datagram.payload);
      if (rtp.payloadType !== payloadType) continue;
      const event = parseTelephoneEvent(rtp.payload);
      if (!event.end || event.event > 9) continue;
      key = `${rtp.ssrc}:${rtp.timestamp}`;
    } catch {
      continue;
    }
    const seen = firstEnd.get(key);
    if (seen === undefined || datagram.timeUs < seen) firstEnd.set(key, datagram.timeUs);
  }
  return [...firstEnd.values()].sort((a, b) => a - b).map((us) => us / 1000);
}

/** One load's desks against its capture (undefined: nothing captured): every desk paired or said why not. */
export function measurePacketToDesk(
  capture: Buffer | undefined,
  probed: readonly { readonly sipCallId: string; readonly edgePort: number }[],
  desks: readonly { readonly sipCallId: string; readonly renders: readonly DeskRender[] }[],
  agentAddress: string,
): PacketToDesk {
  const udp = capture ? readPcap(capture).udp : [];
  return packetToDesk(
    desks.map((desk) => {
      const call = probed.find((candidate) => candidate.sipCallId === desk.sipCallId);
      return { ...desk, packetMs: call ? digitEndTimesMs(udp, call, agentAddress) : [] };
    }),
  );
}

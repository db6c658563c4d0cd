/**
 * sip-tester's own RFC 2833 samples (/usr/share/sip-tester/dtmf_2833_<key>.pcap) joined into one pcap
 * that keys digits, for SIPp's `play_pcap_audio` (the other pcaps: dtmf-pcap.ts).
 */
import { readFileSync } from 'node:fs';
import { DTMF_PCAP_SSRC, type DtmfPcap } from './dtmf-pcap.js';
import type { DtmfSegment } from './media/dtmf-tone.js';
import { encodePcmu } from './media/g711.js';
import { readPcap } from './media/pcap-reader.js';
import { buildRtpPacket, PAYLOAD_TYPE_PCMU, parseRtpPacket, parseTelephoneEvent } from './media/rtp.js';
import type { TimedRtpPacket } from './media/rtp-stream.js';
import { silence } from './media/signal.js';
import { timedPacketsPcap } from './media/timed-pcap.js';

/** sip-tester's RFC 2833 samples, one a key (digits, `*`, `#`). */
export const SIP_TESTER_PCAP_DIR = '/usr/share/sip-tester';

function sipTesterFile(key: string): string {
  const name = key === '*' ? 'star' : key === '#' ? 'pound' : key;
  if (!/^([0-9]|star|pound)$/.test(name)) throw new Error(`sip-tester has no pcap for key ${key}`);
  return `${SIP_TESTER_PCAP_DIR}/dtmf_2833_${name}.pcap`;
}

/**
 * sip-tester's dtmf_2833_<key>.pcap files (telephone-events, payload type 101, 140 ms each)
 * joined into one stream with PCMU silence before, between (`gapMs`, default 300) and after. Each
 * file's packets keep their spacing; sequence numbers and timestamps are renumbered onto one SSRC.
 */
export function sipTesterPcap(
  keys: string,
  options: { gapMs?: number; leadInMs?: number; tailMs?: number } = {},
) {
  const { gapMs = 300, leadInMs = 500, tailMs = 500 } = options;
  const packets: TimedRtpPacket[] = [];
  const segments: DtmfSegment[] = [];
  const silentFrame = Buffer.from(encodePcmu(silence(20)));
  let sequence = 1000;
  let atMs = 0;
  let marker = true;
  const silenceFor = (ms: number) => {
    for (let t = 0; t < ms; t += 20) {
      packets.push({
        offsetMs: atMs,
        payloadType: PAYLOAD_TYPE_PCMU,
        bytes: buildRtpPacket({
          payloadType: PAYLOAD_TYPE_PCMU,
          marker,
          sequenceNumber: sequence & 0xffff,
          timestamp: (160_000 + atMs * 8) >>> 0,
          ssrc: DTMF_PCAP_SSRC,
          payload: silentFrame,
        }),
      });
      marker = false;
      sequence += 1;
      atMs += 20;
    }
  };
  silenceFor(leadInMs);
  [...keys].forEach((key, index) => {
    if (index > 0) silenceFor(gapMs);
    const file = readPcap(readFileSync(sipTesterFile(key)));
    const first = file.udp[0];
    if (!first) throw new Error(`${sipTesterFile(key)} holds no UDP`);
    const firstSequence = parseRtpPacket(first.payload).sequenceNumber;
    const startMs = atMs;
    let lastOffsetMs = 0;
    for (const datagram of file.udp) {
      const rtp = parseRtpPacket(datagram.payload);
      lastOffsetMs = Math.round((datagram.timeUs - first.timeUs) / 1000);
      packets.push({
        offsetMs: startMs + lastOffsetMs,
        payloadType: rtp.payloadType,
        bytes: buildRtpPacket({
          payloadType: rtp.payloadType,
          marker: rtp.marker,
          sequenceNumber: (sequence + ((rtp.sequenceNumber - firstSequence) & 0xffff)) & 0xffff,
          timestamp: (160_000 + startMs * 8) >>> 0,
          ssrc: DTMF_PCAP_SSRC,
          payload: Buffer.from(rtp.payload),
        }),
      });
    }
    sequence +=
      ((parseRtpPacket(file.udp.at(-1)?.payload ?? first.payload).sequenceNumber - firstSequence) & 0xffff) +
      1;
    // The events claim more time than they take on the wire (2240 samples in 140 ms): no audio
    // until the claimed duration is over, so no PCMU timestamp falls inside an event.
    const endPayload = parseRtpPacket(file.udp.at(-1)?.payload ?? first.payload).payload;
    const claimedMs = parseTelephoneEvent(endPayload).duration / 8;
    atMs = startMs + Math.ceil(Math.max(lastOffsetMs + 20, claimedMs) / 20) * 20;
    segments.push({ digit: key as DtmfSegment['digit'], startMs, endMs: atMs });
  });
  silenceFor(tailMs);
  return { bytes: timedPacketsPcap(packets), keys, segments, durationMs: atMs } satisfies DtmfPcap;
}

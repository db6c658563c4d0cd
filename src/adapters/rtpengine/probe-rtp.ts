/**
 * The few RTP packets a report-path probe sends into rtpengine: PCMU silence around one RFC 4733 key
 * (a start packet, two updates and the end packet three times, as RFC 4733 §2.5.1.4 asks). The key is
 * a probe's, never a customer's.
 */

const PCMU = 0;
const TELEPHONE_EVENT = 101;
const FRAME_SAMPLES = 160; // 20 ms at 8 kHz
const PCMU_SILENCE = Buffer.alloc(FRAME_SAMPLES, 0xff);

export interface ProbePacket {
  /** When to send it, in ms after the first packet. */
  readonly atMs: number;
  readonly bytes: Buffer;
}

function rtpPacket(options: {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80; // version 2, no padding, no extension, no CSRC
  header[1] = (options.marker ? 0x80 : 0) | options.payloadType;
  header.writeUInt16BE(options.sequence & 0xffff, 2);
  header.writeUInt32BE(options.timestamp >>> 0, 4);
  header.writeUInt32BE(options.ssrc >>> 0, 8);
  return Buffer.concat([header, options.payload]);
}

function eventPayload(event: number, end: boolean, duration: number): Buffer {
  const payload = Buffer.alloc(4);
  payload[0] = event;
  payload[1] = (end ? 0x80 : 0) | 10; // volume −10 dBm0
  payload.writeUInt16BE(duration, 2);
  return payload;
}

/**
 * One key's packets on an RTP stream starting at `sequence`/`timestamp`: 5 frames of silence, the
 * event (80 ms), 5 frames of silence. Returns the packets and where the stream goes on from.
 */
export function probeKeyPackets(options: {
  event: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
}): { packets: ProbePacket[]; nextSequence: number; nextTimestamp: number } {
  const packets: ProbePacket[] = [];
  let { sequence, timestamp } = options;
  let atMs = 0;
  const audio = () => {
    packets.push({
      atMs,
      bytes: rtpPacket({
        payloadType: PCMU,
        marker: false,
        sequence,
        timestamp,
        ssrc: options.ssrc,
        payload: PCMU_SILENCE,
      }),
    });
    sequence += 1;
    timestamp += FRAME_SAMPLES;
    atMs += 20;
  };
  for (let i = 0; i < 5; i += 1) audio();
  const eventTimestamp = timestamp;
  const durations = [1, 2, 3, 4, 4, 4].map((frames) => frames * FRAME_SAMPLES);
  durations.forEach((duration, i) => {
    packets.push({
      atMs,
      bytes: rtpPacket({
        payloadType: TELEPHONE_EVENT,
        marker: i === 0,
        sequence,
        timestamp: eventTimestamp,
        ssrc: options.ssrc,
        payload: eventPayload(options.event, i >= 3, duration),
      }),
    });
    sequence += 1;
    if (i < 3) atMs += 20;
  });
  timestamp = eventTimestamp + 4 * FRAME_SAMPLES;
  atMs += 20;
  for (let i = 0; i < 5; i += 1) audio();
  return { packets, nextSequence: sequence, nextTimestamp: timestamp };
}

/** The SDP a probe's endpoint offers or answers: PCMU and telephone-event, on 127.0.0.1:`port`. */
export function probeSdp(port: number, sessionId: number): string {
  return [
    'v=0',
    `o=tonewall-probe ${sessionId} 1 IN IP4 127.0.0.1`,
    's=tonewall report-path probe',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP ${PCMU} ${TELEPHONE_EVENT}`,
    'a=rtpmap:0 PCMU/8000',
    `a=rtpmap:${TELEPHONE_EVENT} telephone-event/8000`,
    `a=fmtp:${TELEPHONE_EVENT} 0-15`,
    'a=ptime:20',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

/** Where rtpengine wants this party's media: the c= address and m=audio port of the SDP it returned. */
export function mediaAddressOf(sdp: string): { host: string; port: number } | undefined {
  const connection = /^c=IN IP4 (\S+)/m.exec(sdp);
  const media = /^m=audio (\d+) /m.exec(sdp);
  if (!connection?.[1] || !media?.[1]) return undefined;
  return { host: connection[1], port: Number(media[1]) };
}

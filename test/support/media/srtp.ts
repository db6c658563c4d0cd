/**
 * SRTP decryption for the test side (RFC 3711, AES_CM_128_HMAC_SHA1_80 keyed by SDES, RFC 4568): the
 * agent's sink gets SRTP from the mute hop when the PBX leg is encrypted, and the tests read what it
 * carried. Only what a receiving test needs: the master key from the offer's `a=crypto` line, the
 * session key and salt (key derivation rate 0), AES-128 counter mode over each payload. The 80-bit
 * authentication tag is dropped, not checked: the tests judge the decrypted audio instead (wrong keys
 * give noise, not PCMU silence). And the other way, for a test party that sends SRTP (an SDES
 * carrier): `srtpPcap` encrypts a pcap's RTP and signs it (HMAC-SHA1, 80 bits), as rtpengine checks.
 * Never used by the product.
 */
import { createCipheriv, createHmac } from 'node:crypto';
import { readPcap } from './pcap-reader.js';
import { PcapWriter } from './pcap-writer.js';
import type { RtpPacket } from './rtp.js';
import type { RtpRecord } from './rtp-analysis.js';

/** The authentication tag of AES_CM_128_HMAC_SHA1_80, bytes. */
const TAG_BYTES = 10;

export interface SrtpMasterKey {
  readonly key: Buffer;
  readonly salt: Buffer;
}

export interface SrtpSessionKeys {
  readonly key: Buffer;
  readonly salt: Buffer;
}

/** The master key and salt of the first AES_CM_128_HMAC_SHA1_80 `a=crypto` line in `sdp`. */
export function sdesMasterKey(sdp: string): SrtpMasterKey {
  const match = /a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]+)/.exec(sdp);
  if (!match?.[1]) throw new Error('no AES_CM_128_HMAC_SHA1_80 a=crypto line in the SDP');
  const material = Buffer.from(match[1], 'base64');
  if (material.length !== 30) throw new Error(`SDES key material of ${material.length} bytes, not 30`);
  return { key: material.subarray(0, 16), salt: material.subarray(16, 30) };
}

/** AES-CM as the key derivation's PRF: `length` bytes for `label` (RFC 3711 4.3.1, r = 0). */
function derive(master: SrtpMasterKey, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  master.salt.copy(iv, 0);
  iv[7] = (iv[7] ?? 0) ^ label;
  return createCipheriv('aes-128-ctr', master.key, iv).update(Buffer.alloc(length));
}

/** The session encryption key (label 0) and salt (label 2). */
export function srtpSessionKeys(master: SrtpMasterKey): SrtpSessionKeys {
  return { key: derive(master, 0x00, 16), salt: derive(master, 0x02, 14) };
}

/** The session authentication key (label 1, 160 bits). */
export function srtpAuthKey(master: SrtpMasterKey): Buffer {
  return derive(master, 0x01, 20);
}

/** The payload of one SRTP packet in clear (tag dropped), its rollover counter given. */
export function decryptSrtpPayload(packet: RtpPacket, keys: SrtpSessionKeys, rollover: number): Buffer {
  const encrypted = Buffer.from(packet.payload.subarray(0, Math.max(0, packet.payload.length - TAG_BYTES)));
  return counterMode(encrypted, packet, keys, rollover);
}

/** AES-CM over `payload` for the packet's SSRC and index (encrypts and decrypts alike). */
function counterMode(
  payload: Buffer,
  packet: Pick<RtpPacket, 'ssrc' | 'sequenceNumber'>,
  keys: SrtpSessionKeys,
  rollover: number,
): Buffer {
  const iv = Buffer.alloc(16);
  keys.salt.copy(iv, 0);
  const ssrc = Buffer.alloc(4);
  ssrc.writeUInt32BE(packet.ssrc >>> 0);
  for (let i = 0; i < 4; i += 1) iv[4 + i] = (iv[4 + i] ?? 0) ^ (ssrc[i] ?? 0);
  const index = Buffer.alloc(6);
  index.writeUIntBE(rollover * 65_536 + packet.sequenceNumber, 0, 6);
  for (let i = 0; i < 6; i += 1) iv[8 + i] = (iv[8 + i] ?? 0) ^ (index[i] ?? 0);
  return createCipheriv('aes-128-ctr', keys.key, iv).update(payload);
}

/**
 * `pcap`'s RTP datagrams (12-byte headers, fewer than 65,536 packets) as SRTP under `master`: each
 * payload encrypted, the 80-bit HMAC-SHA1 tag (session auth key, label 1) over header, payload and
 * rollover counter appended. Times and addresses as they were.
 */
export function srtpPcap(pcap: Buffer, master: SrtpMasterKey): Buffer {
  const keys = srtpSessionKeys(master);
  const authKey = srtpAuthKey(master);
  const writer = new PcapWriter();
  for (const datagram of readPcap(pcap).udp) {
    const header = datagram.payload.subarray(0, 12);
    const packet = { ssrc: header.readUInt32BE(8), sequenceNumber: header.readUInt16BE(2) };
    const body = Buffer.concat([header, counterMode(datagram.payload.subarray(12), packet, keys, 0)]);
    const tag = createHmac('sha1', authKey)
      .update(body)
      .update(Buffer.alloc(4))
      .digest()
      .subarray(0, TAG_BYTES);
    writer.addUdp(datagram.timeUs, {
      src: { address: datagram.srcAddress, port: datagram.srcPort },
      dst: { address: datagram.dstAddress, port: datagram.dstPort },
      payload: Buffer.concat([body, tag]),
    });
  }
  return writer.toBuffer();
}

/**
 * The records of one SRTP stream with their payloads in clear, in arrival order; the rollover
 * counter follows the sequence numbers (a jump back of more than half the space is a wrap).
 */
export function decryptSrtpRecords(records: readonly RtpRecord[], master: SrtpMasterKey): RtpRecord[] {
  const keys = srtpSessionKeys(master);
  const rollovers = new Map<number, { roc: number; last: number }>();
  return records.map((record) => {
    const { packet } = record;
    const state = rollovers.get(packet.ssrc) ?? { roc: 0, last: packet.sequenceNumber };
    if (state.last - packet.sequenceNumber > 32_768) state.roc += 1;
    state.last = packet.sequenceNumber;
    rollovers.set(packet.ssrc, state);
    return { ...record, packet: { ...packet, payload: decryptSrtpPayload(packet, keys, state.roc) } };
  });
}

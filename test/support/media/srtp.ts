/**
 * SRTP decryption for the test side (RFC 3711, AES_CM_128_HMAC_SHA1_80 keyed by SDES, RFC 4568): the
 * agent's sink gets SRTP from the mute hop when the PBX leg is encrypted, and the tests read what it
 * carried. Only what a receiving test needs: the master key from the offer's `a=crypto` line, the
 * session key and salt (key derivation rate 0), AES-128 counter mode over each payload. The 80-bit
 * authentication tag is dropped, not checked: the tests judge the decrypted audio instead (wrong keys
 * give noise, not PCMU silence). Never used by the product.
 */
import { createCipheriv } from 'node:crypto';
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

/** The payload of one SRTP packet in clear (tag dropped), its rollover counter given. */
export function decryptSrtpPayload(packet: RtpPacket, keys: SrtpSessionKeys, rollover: number): Buffer {
  const encrypted = Buffer.from(packet.payload.subarray(0, Math.max(0, packet.payload.length - TAG_BYTES)));
  const iv = Buffer.alloc(16);
  keys.salt.copy(iv, 0);
  const ssrc = Buffer.alloc(4);
  ssrc.writeUInt32BE(packet.ssrc >>> 0);
  for (let i = 0; i < 4; i += 1) iv[4 + i] = (iv[4 + i] ?? 0) ^ (ssrc[i] ?? 0);
  const index = Buffer.alloc(6);
  index.writeUIntBE(rollover * 65_536 + packet.sequenceNumber, 0, 6);
  for (let i = 0; i < 6; i += 1) iv[8 + i] = (iv[8 + i] ?? 0) ^ (index[i] ?? 0);
  return createCipheriv('aes-128-ctr', keys.key, iv).update(encrypted);
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

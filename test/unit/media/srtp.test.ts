import { createCipheriv, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rfc4733Pcap } from '../../support/dtmf-pcap.js';
import { readPcap } from '../../support/media/pcap-reader.js';
import { parseRtpPacket } from '../../support/media/rtp.js';
import {
  decryptSrtpRecords,
  sdesMasterKey,
  srtpAuthKey,
  srtpPcap,
  srtpSessionKeys,
} from '../../support/media/srtp.js';

describe('SRTP for the test side (RFC 3711)', () => {
  it('derives the session key and salt as RFC 3711 B.3 gives them', () => {
    const master = {
      key: Buffer.from('E1F97A0D3E018BE0D64FA32C06DE4139', 'hex'),
      salt: Buffer.from('0EC675AD498AFEEBB6960B3AABE6', 'hex'),
    };
    const session = srtpSessionKeys(master);
    expect(session.key.toString('hex').toUpperCase()).toBe('C61E7A93744F39EE10734AFE3FF7A087');
    expect(session.salt.toString('hex').toUpperCase()).toBe('30CBBC08863D8C85D49DB34A9AE1');
    expect(srtpAuthKey(master).toString('hex').toUpperCase()).toBe(
      'CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4',
    );
  });

  it('encrypts and signs a pcap (srtpPcap) that decrypts back to its RTP, each tag the HMAC of the packet', () => {
    const master = { key: Buffer.alloc(16, 3), salt: Buffer.alloc(14, 5) };
    const clear = readPcap(rfc4733Pcap('12#', { leadInMs: 100, tailMs: 100 }).bytes).udp;
    const sent = readPcap(srtpPcap(rfc4733Pcap('12#', { leadInMs: 100, tailMs: 100 }).bytes, master)).udp;
    expect(sent.map((d) => d.timeUs)).toEqual(clear.map((d) => d.timeUs));
    const records = sent.map((d) => ({ arrivalMs: 0, packet: parseRtpPacket(d.payload) }));
    const decrypted = decryptSrtpRecords(records, master);
    expect(decrypted.map((r) => Buffer.from(r.packet.payload))).toEqual(
      clear.map((d) => d.payload.subarray(12)),
    );
    const [first] = sent;
    if (!first) throw new Error('no packet');
    const body = first.payload.subarray(0, first.payload.length - 10);
    const tag = createHmac('sha1', srtpAuthKey(master)).update(body).update(Buffer.alloc(4)).digest();
    expect(first.payload.subarray(-10)).toEqual(tag.subarray(0, 10));
    expect(body.subarray(12)).not.toEqual(clear[0]?.payload.subarray(12));
  });

  it('reads the master key from an a=crypto line and decrypts a payload, a wrong key gives noise', () => {
    const material = Buffer.from(Array.from({ length: 30 }, (_, i) => i * 7 + 1));
    const sdp = `m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${material.toString('base64')}\r\n`;
    const master = sdesMasterKey(sdp);
    expect(master.key).toEqual(material.subarray(0, 16));
    // encrypt 160 bytes of PCMU silence as a sender would (counter mode: the same operation)
    const keys = srtpSessionKeys(master);
    const clear = Buffer.alloc(160, 0xff);
    const iv = Buffer.alloc(16);
    keys.salt.copy(iv, 0);
    iv.writeUInt32BE((iv.readUInt32BE(4) ^ 0x11223344) >>> 0, 4);
    const index = Buffer.alloc(6);
    index.writeUIntBE(70_000 + 5, 0, 6); // rollover 1, sequence number 4469
    for (let i = 0; i < 6; i += 1) iv[8 + i] = (iv[8 + i] ?? 0) ^ (index[i] ?? 0);
    const encrypted = createCipheriv('aes-128-ctr', keys.key, iv).update(clear);
    const packet = (sequenceNumber: number, payload: Buffer) => ({
      arrivalMs: 0,
      packet: {
        version: 2,
        padding: false,
        marker: false,
        payloadType: 0,
        sequenceNumber,
        timestamp: 0,
        ssrc: 0x11223344,
        csrcs: [],
        extension: null,
        payload: Buffer.concat([payload, Buffer.alloc(10)]),
      },
    });
    // a packet before the wrap sets the rollover counter's start; 4469 after 65000 is the next round
    const [, decrypted] = decryptSrtpRecords(
      [packet(65_000, Buffer.alloc(160)), packet(4469, encrypted)],
      master,
    );
    expect(Buffer.from(decrypted?.packet.payload ?? [])).toEqual(clear);
    const wrong = decryptSrtpRecords([packet(4469, encrypted)], { ...master, key: Buffer.alloc(16, 9) });
    expect(Buffer.from(wrong[0]?.packet.payload ?? []).filter((byte) => byte === 0xff).length).toBeLessThan(
      20,
    );
    expect(() => sdesMasterKey('m=audio 4000 RTP/AVP 0')).toThrow(/no AES_CM_128_HMAC_SHA1_80/);
  });
});

import { describe, expect, it } from 'vitest';
import { MediaFormatError } from '../../support/media/errors.js';
import {
  buildRtpPacket,
  buildTelephoneEvent,
  digitToEvent,
  eventToDigit,
  parseRtpPacket,
  parseTelephoneEvent,
} from '../../support/media/rtp.js';

describe('RTP packets', () => {
  it('builds the RFC 3550 fixed header', () => {
    const bytes = buildRtpPacket({
      payloadType: 0,
      marker: true,
      sequenceNumber: 0xabcd,
      timestamp: 0x01020304,
      ssrc: 0xdeadbeef,
      payload: Buffer.from([0xff, 0xfe]),
    });
    expect(bytes.toString('hex')).toBe('8080abcd01020304deadbeeffffe');
  });

  it('round-trips header fields, CSRCs and payload', () => {
    const input = {
      payloadType: 101,
      marker: false,
      sequenceNumber: 65535,
      timestamp: 0xffffffff,
      ssrc: 1,
      csrcs: [7, 8],
      payload: Buffer.from('abc'),
    };
    const parsed = parseRtpPacket(buildRtpPacket(input));
    expect(parsed).toMatchObject({ version: 2, padding: false, extension: null, csrcs: [7, 8] });
    expect(parsed).toMatchObject({
      payloadType: 101,
      marker: false,
      sequenceNumber: 65535,
      timestamp: 0xffffffff,
    });
    expect(Buffer.from(parsed.payload).toString()).toBe('abc');
  });

  it('parses a header extension and strips padding', () => {
    const bytes = Buffer.from('b000000100000002000000030001000199999999aabb0002', 'hex');
    const parsed = parseRtpPacket(bytes);
    expect(parsed.extension?.profile).toBe(1);
    expect(Buffer.from(parsed.extension?.data ?? []).toString('hex')).toBe('99999999');
    expect(Buffer.from(parsed.payload).toString('hex')).toBe('aabb');
  });

  it.each([
    ['too short', '80000001'],
    ['version 1', '400000010000000200000003'],
    ['CSRC list truncated', '820000010000000200000003'],
    ['bad padding', 'a0000001000000020000000300'],
  ])('rejects a malformed packet (%s) with a MediaFormatError', (_, hex) => {
    expect(() => parseRtpPacket(Buffer.from(hex, 'hex'))).toThrow(MediaFormatError);
  });

  it('rejects out-of-range header fields when building', () => {
    const base = { payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: Buffer.alloc(0) };
    expect(() => buildRtpPacket({ ...base, payloadType: 128 })).toThrow(RangeError);
    expect(() => buildRtpPacket({ ...base, sequenceNumber: 70000 })).toThrow(RangeError);
  });
});

describe('RFC 4733 telephone-event', () => {
  it('matches the payload of sip-tester dtmf_2833_1.pcap (event 1, volume 10, duration 320)', () => {
    expect(buildTelephoneEvent({ event: 1, end: false, volume: 10, duration: 320 }).toString('hex')).toBe(
      '010a0140',
    );
    expect(parseTelephoneEvent(Buffer.from('018a08c0', 'hex'))).toEqual({
      event: 1,
      end: true,
      volume: 10,
      duration: 2240,
    });
  });

  it('rejects short payloads and out-of-range fields', () => {
    expect(() => parseTelephoneEvent(Buffer.from('0100', 'hex'))).toThrow(MediaFormatError);
    expect(() => buildTelephoneEvent({ event: 1, end: false, volume: 64, duration: 0 })).toThrow(RangeError);
  });

  it('maps digits to event codes and back', () => {
    expect(digitToEvent('0')).toBe(0);
    expect(digitToEvent('9')).toBe(9);
    expect(digitToEvent('*')).toBe(10);
    expect(digitToEvent('#')).toBe(11);
    expect(digitToEvent('D')).toBe(15);
    for (let event = 0; event < 16; event += 1) {
      const digit = eventToDigit(event);
      expect(digit).not.toBeNull();
      if (digit !== null) expect(digitToEvent(digit)).toBe(event);
    }
    expect(eventToDigit(16)).toBeNull();
  });
});

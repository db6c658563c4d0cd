/**
 * RTP packets (RFC 3550 fixed header, CSRC list, header extension, padding) and RFC 4733
 * telephone-event payloads.
 */
import { keyFromEventCode } from '../../../src/domain/capture/keypad.js';
import type { DtmfDigit } from './dtmf-tone.js';
import { MediaFormatError } from './errors.js';

export const RTP_VERSION = 2;
export const RTP_HEADER_BYTES = 12;
export const PAYLOAD_TYPE_PCMU = 0;
export const PAYLOAD_TYPE_PCMA = 8;
/** The dynamic payload type most SDPs give telephone-event/8000. */
export const DEFAULT_TELEPHONE_EVENT_PT = 101;

export interface RtpHeader {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  marker?: boolean;
  csrcs?: readonly number[];
}

export interface RtpPacketInput extends RtpHeader {
  payload: Uint8Array;
}

export interface RtpPacket {
  version: number;
  padding: boolean;
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  /** Header extension (profile and data), when the X bit is set. */
  extension: { profile: number; data: Uint8Array } | null;
  payload: Uint8Array;
}

function checkRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in 0..${max}`);
  }
}

/** Serialises an RTP packet (version 2, no padding, no extension). */
export function buildRtpPacket(input: RtpPacketInput): Buffer {
  const csrcs = input.csrcs ?? [];
  checkRange('payloadType', input.payloadType, 127);
  checkRange('sequenceNumber', input.sequenceNumber, 0xffff);
  checkRange('timestamp', input.timestamp, 0xffffffff);
  checkRange('ssrc', input.ssrc, 0xffffffff);
  checkRange('csrc count', csrcs.length, 15);
  const out = Buffer.alloc(RTP_HEADER_BYTES + csrcs.length * 4 + input.payload.length);
  out[0] = (RTP_VERSION << 6) | csrcs.length;
  out[1] = (input.marker ? 0x80 : 0) | input.payloadType;
  out.writeUInt16BE(input.sequenceNumber, 2);
  out.writeUInt32BE(input.timestamp, 4);
  out.writeUInt32BE(input.ssrc, 8);
  csrcs.forEach((csrc, i) => {
    checkRange('csrc', csrc, 0xffffffff);
    out.writeUInt32BE(csrc, RTP_HEADER_BYTES + i * 4);
  });
  out.set(input.payload, RTP_HEADER_BYTES + csrcs.length * 4);
  return out;
}

/** Parses an RTP packet; throws MediaFormatError (code RTP_MALFORMED) on a malformed one. */
export function parseRtpPacket(bytes: Uint8Array): RtpPacket {
  const fail = (what: string): never => {
    throw new MediaFormatError('RTP_MALFORMED', `RTP packet: ${what}`);
  };
  if (bytes.length < RTP_HEADER_BYTES) fail('shorter than the fixed header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = view.getUint8(0);
  const version = first >> 6;
  if (version !== RTP_VERSION) fail('version is not 2');
  const padding = (first & 0x20) !== 0;
  const hasExtension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;
  const second = view.getUint8(1);
  let offset = RTP_HEADER_BYTES + csrcCount * 4;
  if (bytes.length < offset) fail('CSRC list truncated');
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i += 1) csrcs.push(view.getUint32(RTP_HEADER_BYTES + i * 4));
  let extension: RtpPacket['extension'] = null;
  if (hasExtension) {
    if (bytes.length < offset + 4) fail('extension header truncated');
    const profile = view.getUint16(offset);
    const words = view.getUint16(offset + 2);
    if (bytes.length < offset + 4 + words * 4) fail('extension truncated');
    extension = { profile, data: bytes.slice(offset + 4, offset + 4 + words * 4) };
    offset += 4 + words * 4;
  }
  let end = bytes.length;
  if (padding) {
    const padBytes = view.getUint8(bytes.length - 1);
    if (padBytes === 0 || offset + padBytes > bytes.length) fail('padding length invalid');
    end -= padBytes;
  }
  return {
    version,
    padding,
    marker: (second & 0x80) !== 0,
    payloadType: second & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrcs,
    extension,
    payload: bytes.slice(offset, end),
  };
}

/** One RFC 4733 telephone-event payload block. */
export interface TelephoneEvent {
  /** Event code: 0-9 digits, 10 `*`, 11 `#`, 12-15 A-D (others are non-DTMF events). */
  event: number;
  /** E bit: the last packet(s) of the event. */
  end: boolean;
  /** Power level as a positive number of -dBm0 (0-63). */
  volume: number;
  /** Duration so far in timestamp units (samples at 8 kHz). */
  duration: number;
}

export const TELEPHONE_EVENT_BYTES = 4;

export function buildTelephoneEvent(event: TelephoneEvent): Buffer {
  checkRange('event', event.event, 255);
  checkRange('volume', event.volume, 63);
  checkRange('duration', event.duration, 0xffff);
  const out = Buffer.alloc(TELEPHONE_EVENT_BYTES);
  out[0] = event.event;
  out[1] = (event.end ? 0x80 : 0) | event.volume;
  out.writeUInt16BE(event.duration, 2);
  return out;
}

/** Parses the first event block of a telephone-event payload. */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent {
  if (payload.length < TELEPHONE_EVENT_BYTES) {
    throw new MediaFormatError('RTP_EVENT_MALFORMED', 'telephone-event payload shorter than 4 bytes');
  }
  const second = payload[1] ?? 0;
  return {
    event: payload[0] ?? 0,
    end: (second & 0x80) !== 0,
    volume: second & 0x3f,
    duration: ((payload[2] ?? 0) << 8) | (payload[3] ?? 0),
  };
}

/** RFC 4733 event code of a DTMF digit (0-15). */
export function digitToEvent(digit: DtmfDigit): number {
  return '0123456789*#ABCD'.indexOf(digit);
}

/** The DTMF digit of an RFC 4733 event code, or null for a non-DTMF event. */
export function eventToDigit(event: number): DtmfDigit | null {
  return keyFromEventCode(event) ?? null;
}

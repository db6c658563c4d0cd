/**
 * ITU-T G.711 companding for 16-bit linear PCM.
 *
 * µ-law (PCMU) encode and decode follow the reference behaviour of the ITU tables (as in
 * the G.191 STL and the classic Sun `g711.c`): the 16-bit input is clipped at ±32635,
 * biased by 0x84, segmented by its highest set bit, and the code is inverted on the wire.
 * Decoding gives the mid-point of each quantisation interval, so 0xFF and 0x7F both
 * decode to 0 and full scale decodes to ±32124. A-law (PCMA) is provided for reading
 * captures such as sip-tester's `g711a.pcap`.
 */

import { clampInt16 } from './signal.js';

const ULAW_BIAS = 0x84;
const ULAW_CLIP = 32635;

/** G.711 segment (0-7) of `magnitude`: segment 0 ends at `firstEnd`, each next one is twice as wide. */
function segmentOf(magnitude: number, firstEnd: number): number {
  let segment = 0;
  let end = firstEnd;
  while (segment < 7 && magnitude > end) {
    segment += 1;
    end = end * 2 + 1;
  }
  return segment;
}

/** Encodes one 16-bit linear sample (rounded and clamped to int16) to a µ-law byte. */
export function encodePcmuSample(sample: number): number {
  const pcm = clampInt16(sample);
  const mask = pcm < 0 ? 0x7f : 0xff;
  const magnitude = Math.min(pcm < 0 ? -pcm : pcm, ULAW_CLIP) + ULAW_BIAS;
  const segment = segmentOf(magnitude, 0xff);
  return ((segment << 4) | ((magnitude >> (segment + 3)) & 0x0f)) ^ mask;
}

/** Decodes one µ-law byte to a 16-bit linear sample. */
export function decodePcmuSample(code: number): number {
  const u = ~code & 0xff;
  const segment = (u & 0x70) >> 4;
  const magnitude = ((((u & 0x0f) << 3) + ULAW_BIAS) << segment) - ULAW_BIAS;
  return u & 0x80 ? 0 - magnitude : magnitude;
}

/** Encodes one 16-bit linear sample to an A-law byte (even bits inverted, as on the wire). */
export function encodePcmaSample(sample: number): number {
  const pcm = clampInt16(sample);
  const sign = pcm >= 0 ? 0x80 : 0x00;
  const magnitude = (pcm >= 0 ? pcm : -pcm - 1) >> 3;
  const segment = segmentOf(magnitude, 0x1f);
  const mantissa = segment < 2 ? (magnitude >> 1) & 0x0f : (magnitude >> segment) & 0x0f;
  return ((segment << 4) | mantissa | sign) ^ 0x55;
}

/** Decodes one A-law byte to a 16-bit linear sample. */
export function decodePcmaSample(code: number): number {
  const a = (code & 0xff) ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let magnitude = (a & 0x0f) << 4;
  if (segment === 0) {
    magnitude += 8;
  } else {
    magnitude = (magnitude + 0x108) << (segment - 1);
  }
  return a & 0x80 ? magnitude : -magnitude;
}

function encodeWith(pcm: ArrayLike<number>, encode: (sample: number) => number): Uint8Array {
  return Uint8Array.from({ length: pcm.length }, (_, i) => encode(pcm[i] ?? 0));
}

function decodeWith(payload: Uint8Array, decode: (code: number) => number): Int16Array {
  return Int16Array.from(payload, decode);
}

/** µ-law encodes a block of 16-bit linear PCM. */
export function encodePcmu(pcm: ArrayLike<number>): Uint8Array {
  return encodeWith(pcm, encodePcmuSample);
}

/** Decodes a µ-law payload to 16-bit linear PCM. */
export function decodePcmu(payload: Uint8Array): Int16Array {
  return decodeWith(payload, decodePcmuSample);
}

/** A-law encodes a block of 16-bit linear PCM. */
export function encodePcma(pcm: ArrayLike<number>): Uint8Array {
  return encodeWith(pcm, encodePcmaSample);
}

/** Decodes an A-law payload to 16-bit linear PCM. */
export function decodePcma(payload: Uint8Array): Int16Array {
  return decodeWith(payload, decodePcmaSample);
}

/** The µ-law code of digital silence (linear 0). */
export const PCMU_SILENCE = 0xff;
/** The A-law code of the smallest positive level (linear +8), used as silence. */
export const PCMA_SILENCE = 0xd5;

import { describe, expect, it } from 'vitest';
import {
  decodePcma,
  decodePcmaSample,
  decodePcmu,
  decodePcmuSample,
  encodePcma,
  encodePcmaSample,
  encodePcmu,
  encodePcmuSample,
  PCMU_SILENCE,
} from '../../support/media/g711.js';

describe('G.711 µ-law', () => {
  it.each([
    [0x00, -32124],
    [0x80, 32124],
    [0xff, 0],
    [0x7f, 0],
    [0xfe, 8],
    [0x7e, -8],
    [0x70, -120],
    [0x01, -31100],
  ])('decodes code %i to the ITU table value %i', (code, linear) => {
    expect(decodePcmuSample(code)).toBe(linear);
  });

  it.each([
    [0, 0xff],
    [-1, 0x7f],
    [100, 0xf2],
    [-100, 0x72],
    [32767, 0x80],
    [-32768, 0x00],
    [8000, 0xa0],
  ])('encodes %i to code %i', (linear, code) => {
    expect(encodePcmuSample(linear)).toBe(code);
  });

  it('re-encodes every decoded code to itself, except negative zero (0x7f) which becomes 0xff', () => {
    for (let code = 0; code < 256; code += 1) {
      expect(encodePcmuSample(decodePcmuSample(code))).toBe(code === 0x7f ? 0xff : code);
    }
  });

  it('is monotonic and its error stays within half a quantisation step', () => {
    let previous = Number.NEGATIVE_INFINITY;
    for (let x = -32768; x <= 32767; x += 1) {
      const y = decodePcmuSample(encodePcmuSample(x));
      expect(y).toBeGreaterThanOrEqual(previous);
      previous = y;
      // Decoding gives the interval mid-point: half a step, and a step is at most (|x| + 0x84) / 16.
      if (Math.abs(x) <= 32635) expect(Math.abs(y - x)).toBeLessThanOrEqual((Math.abs(x) + 0x84) / 32 + 1);
    }
  });

  it('round-trips buffers and encodes silence as 0xff', () => {
    expect([...encodePcmu(new Int16Array(4))]).toEqual([
      PCMU_SILENCE,
      PCMU_SILENCE,
      PCMU_SILENCE,
      PCMU_SILENCE,
    ]);
    const pcm = Int16Array.from([0, 8, -8, 1000, -1000, 32124, -32124]);
    expect([...decodePcmu(encodePcmu(pcm))]).toEqual([0, 8, -8, 988, -988, 32124, -32124]);
  });
});

describe('G.711 A-law', () => {
  it.each([
    [0xd5, 8],
    [0x55, -8],
    [0xaa, 32256],
    [0x2a, -32256],
  ])('decodes code %i to %i', (code, linear) => {
    expect(decodePcmaSample(code)).toBe(linear);
  });

  it('re-encodes every decoded code to itself', () => {
    for (let code = 0; code < 256; code += 1) expect(encodePcmaSample(decodePcmaSample(code))).toBe(code);
  });

  it('round-trips buffers within the quantisation error', () => {
    const pcm = Int16Array.from([0, 100, -100, 5000, -5000]);
    const back = decodePcma(encodePcma(pcm));
    pcm.forEach((x, i) => {
      expect(Math.abs((back[i] ?? 0) - x)).toBeLessThanOrEqual(Math.max(8, Math.abs(x) / 16));
    });
  });
});

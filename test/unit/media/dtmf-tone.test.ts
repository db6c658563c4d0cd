import { describe, expect, it } from 'vitest';
import {
  DTMF_DIGITS,
  dtmfFrequencies,
  dtmfSequence,
  dtmfTone,
  parseDtmfDigits,
} from '../../support/media/dtmf-tone.js';
import { goertzelLevelDbfs } from '../../support/media/goertzel.js';
import { dbfsToAmplitude, rmsDbfs } from '../../support/media/signal.js';

describe('DTMF tone generation', () => {
  it('maps the keypad to the Q.23 frequency pairs', () => {
    expect(dtmfFrequencies('1')).toEqual({ lowHz: 697, highHz: 1209 });
    expect(dtmfFrequencies('0')).toEqual({ lowHz: 941, highHz: 1336 });
    expect(dtmfFrequencies('#')).toEqual({ lowHz: 941, highHz: 1477 });
    expect(dtmfFrequencies('*')).toEqual({ lowHz: 941, highHz: 1209 });
    expect(dtmfFrequencies('D')).toEqual({ lowHz: 941, highHz: 1633 });
    expect(new Set(DTMF_DIGITS.map((d) => JSON.stringify(dtmfFrequencies(d)))).size).toBe(16);
  });

  it('puts each of the two tones at the requested dBFS', () => {
    const pcm = dtmfTone('5', { levelDbfs: -20, durationMs: 100 });
    expect(pcm.length).toBe(800);
    expect(goertzelLevelDbfs(pcm, 770)).toBeCloseTo(-20, 1);
    expect(goertzelLevelDbfs(pcm, 1336)).toBeCloseTo(-20, 1);
    // Two equal tones: 3 dB above either.
    expect(rmsDbfs(pcm)).toBeCloseTo(-20 + 10 * Math.log10(2), 1);
    expect(Math.max(...pcm)).toBeLessThanOrEqual(Math.ceil(2 * dbfsToAmplitude(-20)));
  });

  it('rejects levels whose two tones would clip', () => {
    expect(() => dtmfTone('1', { levelDbfs: -3, durationMs: 20 })).toThrow(RangeError);
    expect(() => dtmfTone('1', { levelDbfs: -6.1, durationMs: 20 })).not.toThrow();
  });

  it('builds sequences with lead-in, gaps and tail, and says where each digit is', () => {
    const seq = dtmfSequence('12#', { levelDbfs: -20, toneMs: 60, gapMs: 40, leadInMs: 500, tailMs: 100 });
    expect(seq.durationMs).toBe(500 + 60 * 3 + 40 * 2 + 100);
    expect(seq.pcm.length).toBe(seq.durationMs * 8);
    expect(seq.segments).toEqual([
      { digit: '1', startMs: 500, endMs: 560 },
      { digit: '2', startMs: 600, endMs: 660 },
      { digit: '#', startMs: 700, endMs: 760 },
    ]);
    expect(rmsDbfs(seq.pcm, 0, 4000)).toBe(-140);
    expect(rmsDbfs(seq.pcm, 4480, 320)).toBe(-140);
  });

  it('parses digit strings and rejects non-DTMF characters', () => {
    expect(parseDtmfDigits('4242*#abcd')).toEqual(['4', '2', '4', '2', '*', '#', 'A', 'B', 'C', 'D']);
    expect(() => parseDtmfDigits('12x')).toThrow(RangeError);
  });
});

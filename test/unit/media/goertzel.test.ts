import { describe, expect, it } from 'vitest';
import { goertzelAmplitude, goertzelLevelDbfs, goertzelPower } from '../../support/media/goertzel.js';
import { dbfsToAmplitude, SILENCE_DBFS, sines } from '../../support/media/signal.js';

describe('Goertzel filter', () => {
  it('measures the amplitude of a sine at its own frequency', () => {
    for (const frequencyHz of [697, 941, 1209, 1633]) {
      const pcm = sines({ frequenciesHz: [frequencyHz], levelDbfs: -10, durationMs: 10 });
      expect(goertzelAmplitude(pcm, frequencyHz) / dbfsToAmplitude(-10)).toBeGreaterThan(0.95);
      expect(goertzelAmplitude(pcm, frequencyHz) / dbfsToAmplitude(-10)).toBeLessThan(1.05);
    }
  });

  it('rejects frequencies far from the sine and measures a sub-block', () => {
    const pcm = sines({ frequenciesHz: [1000], levelDbfs: -10, durationMs: 20 });
    expect(goertzelLevelDbfs(pcm, 1000, { start: 80, length: 80 })).toBeCloseTo(-10, 0);
    expect(goertzelLevelDbfs(pcm, 1633, { start: 80, length: 80 })).toBeLessThan(-30);
  });

  it('reports silence as SILENCE_DBFS and zero power', () => {
    const zero = new Int16Array(80);
    expect(goertzelPower(zero, 697)).toBe(0);
    expect(goertzelLevelDbfs(zero, 697)).toBe(SILENCE_DBFS);
    expect(goertzelAmplitude(zero, 697, { length: 0 })).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOCK_SAMPLES, detectDtmf, MIN_TONE_LEVEL_DBFS } from '../../support/media/dtmf-detector.js';
import {
  DTMF_DIGITS,
  DTMF_HIGH_HZ,
  DTMF_LOW_HZ,
  dtmfSequence,
  dtmfTone,
} from '../../support/media/dtmf-tone.js';
import { decodePcmu, encodePcmu } from '../../support/media/g711.js';
import { concatPcm, mixPcm, silence, sines, whiteNoise } from '../../support/media/signal.js';

const ALL = DTMF_DIGITS.join('');
const pcmuRoundTrip = (pcm: Int16Array) => decodePcmu(encodePcmu(pcm));

describe('DTMF detector: generated tones', () => {
  const levels = [-10, -20, -30, -40];
  const durations = [20, 40, 60, 100];
  const cases = levels.flatMap((levelDbfs) => durations.map((toneMs) => ({ levelDbfs, toneMs })));

  it.each(cases)('detects all 16 digits at $levelDbfs dBFS, $toneMs ms (linear and PCMU)', ({
    levelDbfs,
    toneMs,
  }) => {
    // 3 ms of extra lead-in puts every tone off the 10 ms block grid.
    for (const leadInMs of [200, 203]) {
      const seq = dtmfSequence(ALL, { levelDbfs, toneMs, gapMs: 40, leadInMs, tailMs: 100 });
      for (const pcm of [seq.pcm, pcmuRoundTrip(seq.pcm)]) {
        const result = detectDtmf(pcm);
        expect(result.digitString).toBe(ALL);
        result.digits.forEach((d, i) => {
          const segment = seq.segments[i];
          expect(Math.abs(d.startMs - (segment?.startMs ?? 0))).toBeLessThanOrEqual(10);
          expect(Math.abs(d.durationMs - toneMs)).toBeLessThanOrEqual(10);
          expect(Math.abs(d.peakLevelDbfs - levelDbfs)).toBeLessThan(3);
        });
        expect(Math.abs(result.toneMs - 16 * toneMs)).toBeLessThanOrEqual(16 * 10);
      }
    }
  });

  it('measures exactly the tone length when tones sit on the block grid', () => {
    const seq = dtmfSequence('159#', { levelDbfs: -20, toneMs: 100, gapMs: 100, leadInMs: 500 });
    const result = detectDtmf(seq.pcm);
    expect(result.toneMs).toBe(400);
    expect(result.digits.map((d) => [d.digit, d.startMs, d.durationMs])).toEqual([
      ['1', 500, 100],
      ['5', 700, 100],
      ['9', 900, 100],
      ['#', 1100, 100],
    ]);
  });

  it('splits repeated digits at their gaps', () => {
    const seq = dtmfSequence('4444', { levelDbfs: -20, toneMs: 40, gapMs: 20, leadInMs: 7 });
    expect(detectDtmf(pcmuRoundTrip(seq.pcm)).digitString).toBe('4444');
  });

  it('reports per-frequency levels so a test can bound DTMF energy', () => {
    const result = detectDtmf(dtmfTone('3', { levelDbfs: -30, durationMs: 100 }));
    const byHz = new Map(result.frequencyLevels.map((f) => [f.frequencyHz, f.maxLevelDbfs]));
    expect([...byHz.keys()]).toEqual([...DTMF_LOW_HZ, ...DTMF_HIGH_HZ]);
    expect(byHz.get(697)).toBeCloseTo(-30, 0);
    expect(byHz.get(1477)).toBeCloseTo(-30, 0);
    expect(byHz.get(941)).toBeLessThan(-40);
    expect(result.maxDtmfLevelDbfs).toBeCloseTo(-30, 0);
    expect(result.blocks).toHaveLength(10);
    expect(result.blocks[0]?.lowLevelsDbfs).toHaveLength(4);
  });

  it('detects tones down to its documented floor and not below it', () => {
    const at = (levelDbfs: number) =>
      detectDtmf(pcmuRoundTrip(dtmfSequence('0', { levelDbfs, toneMs: 40, gapMs: 0, leadInMs: 20 }).pcm));
    expect(at(MIN_TONE_LEVEL_DBFS + 2).digitString).toBe('0');
    expect(at(MIN_TONE_LEVEL_DBFS - 3).toneMs).toBe(0);
  });
});

describe('DTMF detector: no false positives', () => {
  const noHit = (pcm: Int16Array) => {
    const result = detectDtmf(pcm);
    expect(result.digits).toEqual([]);
    expect(result.toneMs).toBe(0);
  };

  it('on digital silence, which reads as no DTMF energy at all', () => {
    const result = detectDtmf(silence(1000));
    expect(result.toneMs).toBe(0);
    expect(result.maxDtmfLevelDbfs).toBe(-140);
    expect(result.analysedMs).toBe(1000);
  });

  it.each([-10, -20, -40, -60])('on white noise at %i dBFS (several seeds, linear and PCMU)', (levelDbfs) => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const noise = whiteNoise({ levelDbfs, durationMs: 2000, seed });
      noHit(noise);
      noHit(pcmuRoundTrip(noise));
    }
  });

  it.each([
    [[300, 500, 2000]],
    [[1000, 1300]],
    [[650, 1100]],
    [[400, 1800, 2400]],
    [[660, 1150]],
    [[1000, 1700, 2500, 3000]],
  ])('on non-DTMF sines %j', (frequenciesHz) => {
    noHit(sines({ frequenciesHz, levelDbfs: -15, durationMs: 500 }));
    noHit(pcmuRoundTrip(sines({ frequenciesHz, levelDbfs: -35, durationMs: 500 })));
  });

  it('on speech-like harmonic signals (voiced pitch 80-300 Hz, harmonics to 3.4 kHz)', () => {
    for (let pitchHz = 80; pitchHz <= 300; pitchHz += 7) {
      const harmonics: number[] = [];
      for (let f = pitchHz; f < 3400; f += pitchHz) harmonics.push(f);
      noHit(
        sines({
          frequenciesHz: harmonics,
          levelDbfs: -20 - 20 * Math.log10(harmonics.length),
          durationMs: 300,
        }),
      );
    }
  });

  it('on a single DTMF frequency, and on pairs detuned by 3.5 % or more', () => {
    noHit(sines({ frequenciesHz: [697], levelDbfs: -10, durationMs: 200 }));
    noHit(sines({ frequenciesHz: [1336], levelDbfs: -10, durationMs: 200 }));
    for (const low of DTMF_LOW_HZ) {
      for (const high of DTMF_HIGH_HZ) {
        for (const factor of [1.035, 0.965, 1.05]) {
          noHit(sines({ frequenciesHz: [low * factor, high * factor], levelDbfs: -20, durationMs: 100 }));
        }
      }
    }
  });

  it('with excessive twist or a pair of low-group tones', () => {
    noHit(
      concatPcm([
        mixPcm(
          sines({ frequenciesHz: [852], levelDbfs: -10, durationMs: 100 }),
          sines({ frequenciesHz: [1477], levelDbfs: -20, durationMs: 100 }),
        ),
      ]),
    );
    noHit(sines({ frequenciesHz: [697, 941], levelDbfs: -20, durationMs: 100 }));
  });

  it('still finds a digit keyed over low-level noise', () => {
    const tone = concatPcm([silence(100), dtmfTone('7', { levelDbfs: -20, durationMs: 100 }), silence(100)]);
    const noisy = mixPcm(tone, whiteNoise({ levelDbfs: -45, durationMs: 300, seed: 9 }));
    expect(detectDtmf(pcmuRoundTrip(noisy)).digitString).toBe('7');
    expect(DEFAULT_BLOCK_SAMPLES).toBe(80);
  });
});

import { describe, expect, it } from 'vitest';
import { DtmfDuplicateFilter } from '../../src/adapters/rtpengine/dtmf-duplicate-filter.js';
import type { DtmfEvent } from '../../src/adapters/rtpengine/dtmf-event.js';
import type { KeypadKey } from '../../src/domain/keypad.js';

const press = (key: KeypadKey, durationMs = 100, sipCallId = 'c1', sourceTag = 't1'): DtmfEvent => ({
  sipCallId,
  sourceTag,
  key,
  durationMs,
});

/** Feeds [ms since start, event] pairs and returns which were accepted. */
function run(reports: Array<[number, DtmfEvent]>): boolean[] {
  const filter = new DtmfDuplicateFilter();
  return reports.map(([at, event]) => filter.accept(event, at));
}

describe('DtmfDuplicateFilter (timings measured on rtpengine 10.5, docs/media.md)', () => {
  it.each([19, 30, 47, 86, 150])('drops the detector’s second report %i ms after the event', (gap) => {
    expect(
      run([
        [0, press('4')],
        [gap, press('4', 100)],
      ]),
    ).toEqual([true, false]);
  });

  it('keeps a genuine repeat at a person’s fastest (100 ms tone, 80 ms gap → 180 ms later)', () => {
    expect(
      run([
        [0, press('4', 100)],
        [180, press('4', 100)],
      ]),
    ).toEqual([true, true]);
  });

  it('keeps a different key however soon, and the same key from another party or call', () => {
    expect(
      run([
        [0, press('4')],
        [5, press('2')],
        [10, press('2', 100, 'c1', 'agent')],
        [15, press('2', 100, 'c2', 't1')],
      ]),
    ).toEqual([true, true, true, true]);
  });

  it('collapses a whole doubled card number to one report per press', () => {
    const reports: Array<[number, DtmfEvent]> = [];
    let at = 0;
    for (const key of '4242424242424242#') {
      reports.push([at, press(key as KeypadKey, 100)], [at + 25, press(key as KeypadKey, 100)]);
      at += 200;
    }
    expect(run(reports).filter(Boolean)).toHaveLength(17);
  });

  it('pairs a late second report with its own key when it comes after the next key’s first (1, 2, 1′, 2′)', () => {
    // rtpengine near a full core: each detector report 190 ms after its event, keys 180 ms apart
    expect(
      run([
        [0, press('1', 80)],
        [20, press('1', 76)],
        [180, press('3', 80)],
        [200, press('3', 76)], // two pairs in a row: this party's keys come in pairs
        [360, press('4', 80)],
        [540, press('2', 80)],
        [550, press('4', 76)],
        [730, press('2', 76)],
      ]),
    ).toEqual([true, false, true, false, true, true, false, false]);
  });

  it('counts a repeated key right when both second reports lag past the repeat (2, 2, 2′, 2′)', () => {
    expect(
      run([
        [0, press('9', 80)],
        [30, press('9', 76)],
        [100, press('8', 80)],
        [130, press('8', 76)],
        [200, press('2', 80)],
        [380, press('2', 80)],
        [400, press('2', 76)],
        [580, press('2', 76)],
      ]).filter(Boolean),
    ).toHaveLength(4);
  });

  it('keeps in-band repeats (one report a key): the narrow window until a pair is seen', () => {
    expect(
      run([
        [0, press('2', 100)],
        [200, press('2', 100)],
        [400, press('2', 100)],
      ]),
    ).toEqual([true, true, true]);
  });

  it('still knows a party pairs after a pause between fields longer than two seconds', () => {
    expect(
      run([
        [0, press('1', 80)],
        [30, press('1', 76)],
        [200, press('2', 80)],
        [230, press('2', 76)],
        [10_000, press('#', 80)],
        [10_250, press('#', 76)], // 250 ms late: outside the narrow window, inside the paired one
      ]),
    ).toEqual([true, false, true, false, true, false]);
  });

  it('does not widen on one spurious double report: an in-band repeat 200 ms later still counts', () => {
    expect(
      run([
        [0, press('8', 100)],
        [20, press('8', 90)], // a detector's spurious second report (measured at -45 dBFS)
        [1_000, press('2', 100)],
        [1_200, press('2', 100)], // a genuine in-band repeat
      ]),
    ).toEqual([true, false, true, true]);
  });

  it('narrows again after two reports in a row without a duplicate', () => {
    expect(
      run([
        [0, press('1', 80)],
        [20, press('1', 76)],
        [200, press('3', 80)],
        [220, press('3', 76)], // paired: wide slack
        [1_000, press('5', 80)],
        [2_000, press('6', 80)], // two singles: narrow again
        [3_000, press('2', 80)],
        [3_200, press('2', 80)], // a repeat 200 ms later counts
      ]),
    ).toEqual([true, false, true, false, true, true, true, true]);
  });

  it('holds no key once 2 s have passed without a report', () => {
    const filter = new DtmfDuplicateFilter();
    filter.accept(press('1'), 0);
    filter.accept(press('2', 100, 'c2'), 10);
    expect(filter.keysHeld).toBe(2);
    filter.sweep(1_500);
    expect(filter.keysHeld).toBe(2);
    filter.sweep(2_100);
    expect(filter.keysHeld).toBe(0);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DtmfDuplicateFilter,
  type DtmfReportKind,
} from '../../src/adapters/rtpengine/dtmf-duplicate-filter.js';
import type { DtmfEvent } from '../../src/adapters/rtpengine/dtmf-event.js';
import type { KeypadKey } from '../../src/domain/capture/keypad.js';

const press = (key: KeypadKey, sipCallId = 'c1', sourceTag = 't1'): DtmfEvent => ({
  sipCallId,
  sourceTag,
  key,
  durationMs: 100,
});

/** Feeds [ms since start, hop, event] and returns which were accepted. */
function run(reports: Array<[number, DtmfReportKind, DtmfEvent]>): boolean[] {
  const filter = new DtmfDuplicateFilter();
  return reports.map(([at, kind, event]) => filter.accept(event, kind, at));
}

describe('DtmfDuplicateFilter: a phone that sends its keys as events has its tones dropped, by order, not time', () => {
  it.each<{ name: string; reports: Array<[number, DtmfReportKind, DtmfEvent]>; accepted: boolean[] }>([
    {
      name: 'a phone that sends a key both ways: the tone goes',
      reports: [
        [0, 'rfc4733', press('4')],
        [60, 'in-band', press('4')],
      ],
      accepted: [true, false],
    },
    {
      name: 'the same, the tone reported first: the event goes',
      reports: [
        [0, 'in-band', press('4')],
        [40, 'rfc4733', press('4')],
      ],
      accepted: [true, false],
    },
    {
      name: 'the tone 900 ms after its event (a loaded mask hop): still the same key press',
      reports: [
        [0, 'rfc4733', press('8')],
        [900, 'in-band', press('8')],
      ],
      accepted: [true, false],
    },
    {
      name: 'the same key twice from one hop, 1 ms apart: two key presses',
      reports: [
        [0, 'rfc4733', press('5')],
        [1, 'rfc4733', press('5')],
      ],
      accepted: [true, true],
    },
    {
      name: 'in-band twice, 40 ms apart (an auto-dialler): two key presses',
      reports: [
        [0, 'in-band', press('5')],
        [40, 'in-band', press('5')],
      ],
      accepted: [true, true],
    },
    {
      name: 'both ways, a whole field, reports interleaved late: each key once',
      reports: [
        [0, 'rfc4733', press('5')],
        [200, 'rfc4733', press('5')],
        [250, 'in-band', press('5')],
        [400, 'rfc4733', press('1')],
        [450, 'in-band', press('5')],
        [700, 'in-band', press('1')],
      ],
      accepted: [true, true, false, true, false, false],
    },
    {
      name: 'the known price: a phone keying events, then a key as a tone only: the tone is lost',
      reports: [
        [0, 'rfc4733', press('1')],
        [500, 'in-band', press('2')],
      ],
      accepted: [true, false],
    },
    {
      name: 'another call or party is not affected by one that sends events',
      reports: [
        [0, 'rfc4733', press('1')],
        [20, 'in-band', press('1', 'c2')],
        [30, 'in-band', press('1', 'c1', 't2')],
      ],
      accepted: [true, true, true],
    },
  ])('$name', ({ reports, accepted }) => {
    expect(run(reports)).toEqual(accepted);
  });

  it('never drops a report of a phone that keys one way only, whatever the keys and timing (property)', () => {
    const keys = fc.constantFrom<KeypadKey>('0', '1', '2', '5', '9', '*', '#');
    fc.assert(
      fc.property(
        fc.constantFrom<DtmfReportKind>('rfc4733', 'in-band'),
        fc.array(fc.tuple(keys, fc.integer({ min: 0, max: 400 })), { minLength: 1, maxLength: 60 }),
        (kind, presses) => {
          const filter = new DtmfDuplicateFilter();
          let at = 0;
          return presses.every(([key, gap]) => {
            at += gap;
            return filter.accept(press(key), kind, at);
          });
        },
      ),
    );
  });

  it('a phone that sends every key both ways gets each key exactly once, in any order and lag (property)', () => {
    const keys = fc.constantFrom<KeypadKey>('0', '1', '2', '5', '9', '*', '#');
    fc.assert(
      fc.property(
        fc.array(keys, { minLength: 1, maxLength: 43 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.boolean(),
        (presses, lagMs, toneFirst) => {
          // events every 200 ms; the tone of the first key may come first; the others lag behind
          const reports: Array<[number, DtmfReportKind, KeypadKey]> = [];
          presses.forEach((key, i) => {
            reports.push([i * 200, 'rfc4733', key]);
            reports.push([i === 0 && toneFirst ? -1 : i * 200 + lagMs, 'in-band', key]);
          });
          reports.sort((a, b) => a[0] - b[0]);
          const filter = new DtmfDuplicateFilter();
          const captured = reports
            .filter(([at, kind, key]) => filter.accept(press(key), kind, at + 1))
            .map(([, , key]) => key)
            .join('');
          return captured === presses.join('');
        },
      ),
    );
  });

  it('forgets a tone ~2 s after it came', () => {
    const filter = new DtmfDuplicateFilter();
    filter.accept(press('2'), 'in-band', 100);
    expect(filter.keysHeld).toBe(1);
    filter.sweep(2_200);
    expect(filter.keysHeld).toBe(0);
  });
});

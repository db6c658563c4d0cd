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

describe('DtmfDuplicateFilter: only the other hop’s report of one key press is a duplicate', () => {
  it.each<{ name: string; reports: Array<[number, DtmfReportKind, DtmfEvent]>; accepted: boolean[] }>([
    {
      name: 'a phone that sends a key both ways: the second hop’s report goes',
      reports: [
        [0, 'rfc4733', press('4')],
        [60, 'in-band', press('4')],
      ],
      accepted: [true, false],
    },
    {
      name: 'the same, the tone reported first',
      reports: [
        [0, 'in-band', press('4')],
        [40, 'rfc4733', press('4')],
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
      name: 'both ways twice: each event takes one tone',
      reports: [
        [0, 'rfc4733', press('5')],
        [30, 'in-band', press('5')],
        [200, 'rfc4733', press('5')],
        [230, 'in-band', press('5')],
      ],
      accepted: [true, false, true, false],
    },
    {
      name: 'the other hop’s report of the same key after the window: a new key press',
      reports: [
        [0, 'rfc4733', press('8')],
        [301, 'in-band', press('8')],
      ],
      accepted: [true, true],
    },
    {
      name: 'another key, another call, another party: never a duplicate',
      reports: [
        [0, 'rfc4733', press('1')],
        [10, 'in-band', press('2')],
        [20, 'in-band', press('1', 'c2')],
        [30, 'in-band', press('1', 'c1', 't2')],
      ],
      accepted: [true, true, true, true],
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

  it('forgets every key ~2 s after it came', () => {
    const filter = new DtmfDuplicateFilter();
    filter.accept(press('4'), 'rfc4733', 0);
    filter.accept(press('2'), 'in-band', 100);
    expect(filter.keysHeld).toBe(2);
    filter.sweep(2_200);
    expect(filter.keysHeld).toBe(0);
  });
});

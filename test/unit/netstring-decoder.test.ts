import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NetstringDecoder, NetstringError } from '../../src/adapters/kamailio/netstring-decoder.js';

const frame = (payload: string) => `${Buffer.byteLength(payload)}:${payload},`;

describe('NetstringDecoder', () => {
  it('splits several netstrings in one chunk', () => {
    expect(new NetstringDecoder().push(Buffer.from(frame('{"a":1}') + frame('é') + frame('')))).toEqual([
      '{"a":1}',
      'é',
      '',
    ]);
  });

  it('reassembles netstrings split at every possible byte boundary', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 40 }), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (payloads, cuts) => {
          const bytes = Buffer.from(payloads.map(frame).join(''));
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          const decoder = new NetstringDecoder();
          const out: string[] = [];
          let from = 0;
          for (const point of [...points, bytes.length]) {
            out.push(...decoder.push(bytes.subarray(from, point)));
            from = point;
          }
          expect(out).toEqual(payloads);
        },
      ),
    );
  });

  it.each([
    ['a non-numeric length', 'ab:c,'],
    ['a missing comma', '3:abcX'],
    ['an endless length prefix', '12345678901234'],
    ['a length over the limit', '99999999:'],
  ])('rejects %s', (_name, input) => {
    expect(() => new NetstringDecoder().push(Buffer.from(input))).toThrow(NetstringError);
  });
});

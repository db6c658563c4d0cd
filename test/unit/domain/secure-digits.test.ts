import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SecureDigits } from '../../../src/domain/card/secure-digits.js';
import { digitsOf } from './support.js';

function filled(text: string, capacity = 19): SecureDigits {
  const digits = new SecureDigits({ capacity });
  for (const digit of digitsOf(text)) digits.append(digit);
  return digits;
}

describe('SecureDigits', () => {
  it('masks every serialisation with one * a digit', () => {
    const digits = filled('4111111111111111');
    expect(String(digits)).toBe('****************');
    expect(`${digits}`).toBe('****************');
    expect(JSON.stringify({ pan: digits })).toBe('{"pan":"****************"}');
    expect(inspect(digits)).toBe('SecureDigits(****************)');
    expect(inspect({ nested: { deeper: digits } }, { depth: null, showHidden: true })).not.toMatch(/\d{2}/);
    expect(inspect(digits, { customInspect: false, showHidden: true })).not.toMatch(/4111/);
  });

  it('counts and caps what it holds', () => {
    const digits = new SecureDigits({ capacity: 3 });
    expect(digits.append(1)).toBe(true);
    expect(digits.append(2)).toBe(true);
    expect(digits.isFull).toBe(false);
    expect(digits.append(3)).toBe(true);
    expect(digits.isFull).toBe(true);
    expect(digits.append(4)).toBe(false);
    expect(digits.length).toBe(3);
    expect(digits.capacity).toBe(3);
    expect(digits.evaluate((keyed) => Array.from(keyed))).toEqual([1, 2, 3]);
  });

  it.each([-1, 10, 1.5, Number.NaN])('refuses %s as a digit, without echoing it', (value) => {
    const digits = new SecureDigits({ capacity: 4 });
    expect(() => digits.append(value)).toThrow(/^"digit" must be an integer from 0 to 9$/);
    expect(digits.length).toBe(0);
  });

  it.each([0, 65, 2.5])('refuses capacity %s', (capacity) => {
    expect(() => new SecureDigits({ capacity })).toThrow(RangeError);
  });

  it('zeroes every byte when wiped', () => {
    const digits = filled('987654321');
    expect(digits.isWiped()).toBe(false);
    digits.wipe();
    expect(digits.isWiped()).toBe(true);
    expect(digits.length).toBe(0);
    expect(String(digits)).toBe('');
  });

  it('is not wiped while it holds only zeros', () => {
    expect(filled('000').isWiped()).toBe(false);
  });

  it('hands a rule a copy and zeroes the copy afterwards', () => {
    const digits = filled('1234');
    let seen: ArrayLike<number> = [];
    const sum = digits.evaluate((keyed) => {
      seen = keyed;
      return Array.from(keyed).reduce((total, digit) => total + digit, 0);
    });
    expect(sum).toBe(10);
    expect(Array.from(seen)).toEqual([0, 0, 0, 0]);
    expect(digits.evaluate((keyed) => Array.from(keyed))).toEqual([1, 2, 3, 4]);
  });

  it('zeroes the copy even when the rule throws', () => {
    const digits = filled('5678');
    let seen: ArrayLike<number> = [];
    expect(() =>
      digits.evaluate((keyed) => {
        seen = keyed;
        throw new Error('rule failed');
      }),
    ).toThrow('rule failed');
    expect(Array.from(seen)).toEqual([0, 0, 0, 0]);
  });

  it('never shows a digit in any serialisation, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 19 }), (text) => {
        const digits = filled(text);
        for (const shown of [String(digits), JSON.stringify(digits), inspect(digits, { depth: null })]) {
          expect(shown).not.toMatch(/\d/);
        }
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLuhnValid } from '../../../src/domain/card/luhn.js';
import { digitsOf, referenceCheckDigit, TEST_CARDS, withCheckDigit } from './support.js';

describe('isLuhnValid', () => {
  it.each<[string, boolean]>([
    ['79927398713', true],
    ['79927398710', false],
    ['0', true],
    ['18', true],
    ['10', false],
    ['', false],
    ...TEST_CARDS.map(({ number }): [string, boolean] => [number, true]),
    ['4111111111111112', false],
    ['4111111111111121', false],
  ])('%s → %s', (number, valid) => {
    expect(isLuhnValid(digitsOf(number))).toBe(valid);
  });

  it('agrees with the reference check digit on any digit string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 25 }),
        (body) => {
          for (let check = 0; check <= 9; check += 1) {
            const valid = isLuhnValid(digitsOf(body + check));
            expect(valid).toBe(String(check) === referenceCheckDigit(body));
          }
        },
      ),
    );
  });

  it('rejects any single-digit change of a valid number', () => {
    const validNumber = fc
      .string({ unit: fc.constantFrom(...'0123456789'), minLength: 11, maxLength: 18 })
      .map(withCheckDigit);
    fc.assert(
      fc.property(validNumber, fc.nat(), fc.integer({ min: 1, max: 9 }), (number, at, shift) => {
        const digits = digitsOf(number);
        expect(isLuhnValid(digits)).toBe(true);
        const index = at % digits.length;
        digits[index] = ((digits[index] ?? 0) + shift) % 10;
        expect(isLuhnValid(digits)).toBe(false);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CARD_BRANDS, type CardBrand } from '../../../src/domain/card/card-brand.js';
import { validateCardNumber } from '../../../src/domain/card/card-number.js';
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

/**
 * The IIN ranges and lengths of issue 2, written out again as the test's own oracle. unionpay's 62
 * excludes 622126–622925, which are discover.
 */
const SPEC: Record<CardBrand, { prefixes: string[]; lengths: number[] }> = {
  visa: { prefixes: ['4-4'], lengths: [13, 16, 19] },
  mastercard: { prefixes: ['51-55', '2221-2720'], lengths: [16] },
  amex: { prefixes: ['34-34', '37-37'], lengths: [15] },
  discover: { prefixes: ['6011-6011', '644-649', '65-65', '622126-622925'], lengths: [16, 17, 18, 19] },
  jcb: { prefixes: ['3528-3589'], lengths: [16, 17, 18, 19] },
  'diners-club': { prefixes: ['300-305', '36-36', '38-39'], lengths: [14, 15, 16, 17, 18, 19] },
  unionpay: { prefixes: ['62-62'], lengths: [16, 17, 18, 19] },
  maestro: {
    prefixes: ['5018-5018', '5020-5020', '5038-5038', '5893-5893', '6304-6304', '6759-6759', '6761-6763'],
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  },
};

function cardNumber(brand: CardBrand, length: number): fc.Arbitrary<string> {
  const prefix = fc.constantFrom(...SPEC[brand].prefixes).chain((span) => {
    const [from = '', to = ''] = span.split('-');
    return fc
      .integer({ min: Number(from), max: Number(to) })
      .map((value) => String(value).padStart(from.length, '0'));
  });
  return prefix
    .chain((start) =>
      fc
        .string({
          unit: fc.constantFrom(...'0123456789'),
          minLength: length - 1 - start.length,
          maxLength: length - 1 - start.length,
        })
        .map((rest) => withCheckDigit(start + rest)),
    )
    .filter((number) => {
      if (brand !== 'unionpay') return true;
      const iin = Number(number.slice(0, 6));
      return iin < 622126 || iin > 622925;
    });
}

describe('every Luhn-valid number of every brand and valid length', () => {
  for (const brand of CARD_BRANDS) {
    for (const length of SPEC[brand].lengths) {
      it(`is accepted: ${brand}, ${length} digits`, () => {
        fc.assert(
          fc.property(cardNumber(brand, length), (number) => {
            expect(number).toHaveLength(length);
            expect(validateCardNumber(digitsOf(number), { validCardTypes: CARD_BRANDS })).toEqual({
              ok: true,
              brand,
            });
          }),
          { numRuns: 50 },
        );
      });
    }
  }

  it('is rejected as invalid-card-number at any other length', () => {
    const brandAndLength = fc.constantFrom(...CARD_BRANDS).chain((brand) =>
      fc
        .integer({ min: 7, max: 19 })
        .filter((length) => !SPEC[brand].lengths.includes(length))
        .map((length) => ({ brand, length })),
    );
    fc.assert(
      fc.property(
        brandAndLength.chain(({ brand, length }) => cardNumber(brand, length)),
        (number) => {
          expect(validateCardNumber(digitsOf(number), { validCardTypes: CARD_BRANDS })).toEqual({
            ok: false,
            errorType: 'invalid-card-number',
          });
        },
      ),
    );
  });
});

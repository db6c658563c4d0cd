/**
 * card-brand-data.ts against the credit-card-type package it is generated from: the same table, and
 * the same brand for whole card numbers by the package's own matcher (an oracle written apart from
 * detectBrand: string prefixes, most specific match, first in order on ties).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packageBrandOf, sourceBrands } from '../../../scripts/lib/card-brand-source.js';
import { BRAND_TABLE, CARD_BRANDS, detectBrand, IIN_RANGES } from '../../../src/domain/card/card-brand.js';
import { validateCardNumber } from '../../../src/domain/card/card-number.js';
import { digitsOf, withCheckDigit } from './support.js';

describe('card-brand-data.ts', () => {
  it('holds the installed credit-card-type table (else run npx tsx scripts/card-brands.ts)', () => {
    expect(JSON.parse(JSON.stringify(BRAND_TABLE))).toEqual(sourceBrands());
  });

  it('has every brand once, in CARD_BRANDS order', () => {
    expect(BRAND_TABLE.map(({ brand }) => brand)).toEqual([...CARD_BRANDS]);
  });
});

/** A number of `length` digits starting inside one of the table's ranges (or anywhere), Luhn-valid. */
const cardNumber = fc
  .record({
    range: fc.option(fc.constantFrom(...IIN_RANGES), { freq: 4 }),
    length: fc.integer({ min: 12, max: 19 }),
    seed: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 19, maxLength: 19 }),
    pick: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ range, length, seed, pick }) => {
    let start = '';
    if (range !== null) {
      const from = Number(range.from);
      const span = Number(range.to) - from;
      start = String(from + Math.floor(pick * (span + 1)) - (pick === 1 ? 1 : 0)).padStart(
        range.from.length,
        '0',
      );
    }
    return withCheckDigit((start + seed).slice(0, length - 1));
  });

describe('agrees with the package on whole card numbers', () => {
  it('the same brand, or none for both', () => {
    fc.assert(
      fc.property(cardNumber, (number) => {
        const detection = detectBrand(digitsOf(number));
        const ours = detection.kind === 'decided' ? detection.brand : undefined;
        expect(detection.kind).not.toBe('undecided');
        expect(ours).toBe(packageBrandOf(number));
      }),
      { numRuns: 3000 },
    );
  });

  it('valid exactly when the package knows the brand and the length (every brand allowed)', () => {
    fc.assert(
      fc.property(cardNumber, (number) => {
        const brand = packageBrandOf(number);
        const info = BRAND_TABLE.find((entry) => entry.brand === brand);
        const verdict = validateCardNumber(digitsOf(number), { validCardTypes: CARD_BRANDS });
        if (info === undefined) expect(verdict).toEqual({ ok: false, errorType: 'invalid-card-type' });
        else if (info.lengths.includes(number.length)) expect(verdict).toEqual({ ok: true, brand });
        else expect(verdict).toEqual({ ok: false, errorType: 'invalid-card-number' });
      }),
      { numRuns: 3000 },
    );
  });

  it('on the boundaries of every range', () => {
    for (const { from, to } of IIN_RANGES) {
      for (const edge of [from, to, String(Number(from) - 1), String(Number(to) + 1)]) {
        const number = withCheckDigit(edge.padStart(from.length, '0').padEnd(15, '0'));
        const detection = detectBrand(digitsOf(number));
        expect(detection.kind === 'decided' ? detection.brand : undefined, number).toBe(
          packageBrandOf(number),
        );
      }
    }
  });
});

describe('every Luhn-valid number of every brand and valid length', () => {
  for (const { brand, lengths } of BRAND_TABLE) {
    const ranges = IIN_RANGES.filter((range) => range.brand === brand);
    const ofBrand = (length: number) =>
      fc
        .record({
          range: fc.constantFrom(...ranges),
          pick: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
          rest: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 19, maxLength: 19 }),
        })
        .map(({ range, pick, rest }) => {
          const from = Number(range.from);
          const start = String(from + Math.floor(pick * (Number(range.to) - from + 1)));
          return withCheckDigit((start + rest).slice(0, length - 1));
        })
        // a number in a range of this brand that a more specific range gives to another brand
        .filter((number) => packageBrandOf(number) === brand);
    for (const length of [12, 13, 14, 15, 16, 17, 18, 19]) {
      const valid = lengths.includes(length);
      it(`${brand}, ${length} digits: ${valid ? 'accepted' : 'invalid-card-number'}`, () => {
        fc.assert(
          fc.property(ofBrand(length), (number) => {
            expect(validateCardNumber(digitsOf(number), { validCardTypes: CARD_BRANDS })).toEqual(
              valid ? { ok: true, brand } : { ok: false, errorType: 'invalid-card-number' },
            );
          }),
          { numRuns: 30 },
        );
      });
    }
  }
});

import { describe, expect, it } from 'vitest';
import { CARD_BRANDS, type CardBrand } from '../../../src/domain/card/card-brand.js';
import { validateCardNumber } from '../../../src/domain/card/card-number.js';
import { digitsOf, TEST_CARDS, withCheckDigit } from './support.js';

describe('validateCardNumber', () => {
  it('has a published test card for every brand', () => {
    expect(new Set(TEST_CARDS.map(({ brand }) => brand))).toEqual(new Set(CARD_BRANDS));
  });

  it.each(TEST_CARDS)('accepts $brand test card $number ($source)', ({ brand, number }) => {
    expect(validateCardNumber(digitsOf(number), { validCardTypes: CARD_BRANDS })).toEqual({
      ok: true,
      brand,
    });
  });

  it.each(TEST_CARDS)('takes $brand test card $number when only $brand is allowed, no other', ({
    brand,
    number,
  }) => {
    expect(validateCardNumber(digitsOf(number), { validCardTypes: [brand] })).toEqual({ ok: true, brand });
    const others = CARD_BRANDS.filter((other) => other !== brand);
    expect(validateCardNumber(digitsOf(number), { validCardTypes: others })).toEqual({
      ok: false,
      errorType: 'invalid-card-type',
    });
  });

  it.each([
    ['Luhn failure', '4111111111111112', CARD_BRANDS, 'invalid-card-number'],
    [
      'visa of 13 digits (Luhn-valid; not a length the table has)',
      '4222222222222',
      CARD_BRANDS,
      'invalid-card-number',
    ],
    ['visa of 14 digits (Luhn-valid)', withCheckDigit('4111111111111'), CARD_BRANDS, 'invalid-card-number'],
    ['amex of 16 digits (Luhn-valid)', withCheckDigit('378282246310005'), CARD_BRANDS, 'invalid-card-number'],
    ['too short to decide a brand', '5', CARD_BRANDS, 'invalid-card-number'],
    ['empty', '', CARD_BRANDS, 'invalid-card-number'],
    ['no brand (7…, Luhn-valid)', withCheckDigit('711111111111111'), CARD_BRANDS, 'invalid-card-type'],
    ['no brand (2205…, Luhn-valid)', withCheckDigit('220511111111111'), CARD_BRANDS, 'invalid-card-type'],
    ['brand not accepted', '378282246310005', ['visa', 'mastercard'], 'invalid-card-type'],
    ['brand not accepted, Luhn fails too', '378282246310006', ['visa'], 'invalid-card-type'],
  ] as const)('rejects: %s', (_case, number, validCardTypes: readonly CardBrand[], errorType) => {
    expect(validateCardNumber(digitsOf(number), { validCardTypes })).toEqual({ ok: false, errorType });
  });
});

describe('co-badged ranges: one brand, the most specific prefix; the allow-list checks that brand', () => {
  it.each([
    // [number, its brand, the brand whose wider range holds it]
    [withCheckDigit('401178000000000'), 'elo', 'visa'],
    [withCheckDigit('493698000000000'), 'maestro', 'visa'],
    [withCheckDigit('527572000000000'), 'naranja', 'mastercard'],
    [withCheckDigit('650052000000000'), 'troy', 'discover'],
    [withCheckDigit('650031000000000'), 'elo', 'discover'],
    [withCheckDigit('606282000000000'), 'hipercard', 'maestro'],
    // equally specific (506099–506127 and 504176–506698): the table's order, verve first
    [withCheckDigit('506100000000000'), 'verve', 'maestro'],
  ] as const)('%s is %s, not %s', (number, brand, wider: CardBrand) => {
    expect(validateCardNumber(digitsOf(number), { validCardTypes: CARD_BRANDS })).toEqual({
      ok: true,
      brand,
    });
    expect(validateCardNumber(digitsOf(number), { validCardTypes: [wider] })).toEqual({
      ok: false,
      errorType: 'invalid-card-type',
    });
    expect(validateCardNumber(digitsOf(number), { validCardTypes: [wider, brand] })).toEqual({
      ok: true,
      brand,
    });
  });
});

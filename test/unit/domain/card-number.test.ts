import { describe, expect, it } from 'vitest';
import { CARD_BRANDS, type CardBrand } from '../../../src/domain/card/card-brand.js';
import { validateCardNumber } from '../../../src/domain/card/card-number.js';
import { digitsOf, TEST_CARDS, withCheckDigit } from './support.js';

describe('validateCardNumber', () => {
  it.each(TEST_CARDS)('accepts $brand test card $number', ({ brand, number }) => {
    expect(validateCardNumber(digitsOf(number), { validCardTypes: CARD_BRANDS })).toEqual({
      ok: true,
      brand,
    });
  });

  it.each([
    ['Luhn failure', '4111111111111112', CARD_BRANDS, 'invalid-card-number'],
    ['visa of 14 digits (Luhn-valid)', withCheckDigit('4111111111111'), CARD_BRANDS, 'invalid-card-number'],
    ['amex of 16 digits (Luhn-valid)', withCheckDigit('378282246310005'), CARD_BRANDS, 'invalid-card-number'],
    ['too short to decide a brand', '5', CARD_BRANDS, 'invalid-card-number'],
    ['empty', '', CARD_BRANDS, 'invalid-card-number'],
    ['no brand (9…, Luhn-valid)', withCheckDigit('911111111111111'), CARD_BRANDS, 'invalid-card-type'],
    ['no brand (56…, Luhn-valid)', withCheckDigit('561111111111111'), CARD_BRANDS, 'invalid-card-type'],
    ['brand not accepted', '378282246310005', ['visa', 'mastercard'], 'invalid-card-type'],
    ['brand not accepted, Luhn fails too', '378282246310006', ['visa'], 'invalid-card-type'],
  ] as const)('rejects: %s', (_case, number, validCardTypes: readonly CardBrand[], errorType) => {
    expect(validateCardNumber(digitsOf(number), { validCardTypes })).toEqual({ ok: false, errorType });
  });

  it('accepts a brand on the allow-list', () => {
    expect(validateCardNumber(digitsOf('4111111111111111'), { validCardTypes: ['visa'] })).toEqual({
      ok: true,
      brand: 'visa',
    });
  });
});

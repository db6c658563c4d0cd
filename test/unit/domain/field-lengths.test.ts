import { describe, expect, it } from 'vitest';
import { isValidPostalCodeLength } from '../../../src/domain/card/postal-code.js';
import { isValidSecurityCodeLength, securityCodeLengths } from '../../../src/domain/card/security-code.js';

describe('security code', () => {
  it.each([
    ['visa', 3, true],
    ['visa', 4, false],
    ['visa', 2, false],
    ['mastercard', 3, true],
    ['amex', 4, true],
    ['amex', 3, false],
    ['discover', 3, true],
    [undefined, 3, true],
    [undefined, 4, true],
    [undefined, 2, false],
    [undefined, 5, false],
  ] as const)('%s with %i digits → %s', (brand, length, valid) => {
    expect(isValidSecurityCodeLength(length, brand)).toBe(valid);
  });

  it('lists the lengths it takes', () => {
    expect(securityCodeLengths('amex')).toEqual([4]);
    expect(securityCodeLengths('jcb')).toEqual([3]);
    expect(securityCodeLengths(undefined)).toEqual([3, 4]);
  });
});

describe('postal code', () => {
  it.each([
    [{ min: 5, max: 5 }, 5, true],
    [{ min: 5, max: 5 }, 4, false],
    [{ min: 5, max: 5 }, 6, false],
    [{ min: 3, max: 10 }, 3, true],
    [{ min: 3, max: 10 }, 10, true],
    [{ min: 3, max: 10 }, 2, false],
    [{ min: 1, max: 10 }, 0, false],
  ])('%j with %i digits → %s', (bounds, length, valid) => {
    expect(isValidPostalCodeLength(length, bounds)).toBe(valid);
  });
});

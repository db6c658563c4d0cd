import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minorUnitDigits, toMinorUnits } from '../../../src/domain/payments/money.js';
import { GatewayError } from '../../../src/errors.js';

describe('toMinorUnits', () => {
  it.each([
    ['10.00', 'usd', 1000],
    ['10', 'usd', 1000],
    ['10.5', 'USD', 1050],
    ['0.01', 'gbp', 1],
    ['0', 'eur', 0],
    ['1000', 'jpy', 1000],
    ['1000', 'JPY', 1000],
    ['500', 'krw', 500],
    ['1.5', 'kwd', 1500],
    ['1.234', 'bhd', 1234],
    ['999999999999.99', 'usd', 99_999_999_999_999],
  ])('(%s, %s) → %i', (amount, currency, expected) => {
    expect(toMinorUnits(amount, currency)).toBe(expected);
  });

  it.each([
    ['10.001', 'usd'],
    ['10.5', 'jpy'],
    ['1.2345', 'kwd'],
    ['-1.00', 'usd'],
    ['1e3', 'usd'],
    ['', 'usd'],
    ['.50', 'usd'],
    ['10.', 'usd'],
    [' 10', 'usd'],
    ['10.00', 'us'],
    ['10.00', 'us1'],
    ['1234567890123', 'usd'],
  ])('refuses (%j, %j) with GW_ERR_INVALID_AMOUNT, naming no value', (amount, currency) => {
    let caught: unknown;
    try {
      toMinorUnits(amount, currency);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).code).toBe('GW_ERR_INVALID_AMOUNT');
    if (amount.length > 2) expect((caught as GatewayError).message).not.toContain(amount.trim());
  });

  it('knows the minor units of zero-, two- and three-decimal currencies', () => {
    expect([minorUnitDigits('jpy'), minorUnitDigits('usd'), minorUnitDigits('KWD')]).toEqual([0, 2, 3]);
  });

  it('round-trips every minor amount through its decimal text (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 - 1 }),
        fc.constantFrom('usd', 'jpy', 'kwd', 'eur', 'clp', 'omr'),
        (minor, currency) => {
          const digits = minorUnitDigits(currency);
          const text = String(minor).padStart(digits + 1, '0');
          const decimal = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
          expect(toMinorUnits(decimal, currency)).toBe(minor);
        },
      ),
    );
  });
});

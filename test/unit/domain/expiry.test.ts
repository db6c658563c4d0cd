import { describe, expect, it } from 'vitest';
import { validateExpiry } from '../../../src/domain/card/expiry.js';
import { digitsOf, JUNE_2025 } from './support.js';

describe('validateExpiry (clock: 15 June 2025, UTC)', () => {
  it.each([
    ['0625', 6, 2025, 'the current month'],
    ['0725', 7, 2025, 'next month'],
    ['1225', 12, 2025, 'later this year'],
    ['0126', 1, 2026, 'next year'],
    ['0645', 6, 2045, 'exactly 20 years ahead'],
  ])('accepts %s (%s)', (mmyy, month, year) => {
    expect(validateExpiry(digitsOf(mmyy), JUNE_2025)).toEqual({ ok: true, month, year });
  });

  it.each([
    ['0525', 'last month'],
    ['1224', 'last year'],
    ['0745', 'more than 20 years ahead'],
    ['0099', 'month 00'],
    ['1326', 'month 13'],
    ['0026', 'month 00'],
    ['9926', 'month 99'],
    ['126', 'three digits'],
    ['01260', 'five digits'],
    ['', 'nothing'],
  ])('rejects %s (%s)', (mmyy) => {
    expect(validateExpiry(digitsOf(mmyy), JUNE_2025)).toEqual({ ok: false });
  });

  it.each([
    // [clock, MMYY, valid]
    [Date.UTC(2025, 11, 31, 23, 59, 59), '1225', true],
    [Date.UTC(2026, 0, 1, 0, 0, 0), '1225', false],
    [Date.UTC(2026, 0, 1, 0, 0, 0), '0126', true],
    [Date.UTC(2089, 5, 1), '0101', true],
    [Date.UTC(2089, 5, 1), '0188', false],
    [Date.UTC(2099, 0, 1), '0100', true],
  ])('at %i, %s valid: %s', (now, mmyy, valid) => {
    expect(validateExpiry(digitsOf(mmyy), now).ok).toBe(valid);
  });

  it('reads YY as the year of that ending nearest to now, across a century', () => {
    expect(validateExpiry(digitsOf('0301'), Date.UTC(2099, 0, 1))).toEqual({
      ok: true,
      month: 3,
      year: 2101,
    });
  });
});

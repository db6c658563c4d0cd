import { describe, expect, it } from 'vitest';
import { currencyExponent, readChargeAmount } from '../../src/sandbox/charge-amount.js';

/** docs/processor-protocol.md, "Amounts", as the sandbox reads them. */
describe('sandbox chargeAmount rules', () => {
  it.each([
    [{}, { kind: 'tokenise-only' }],
    [{ chargeAmount: '0' }, { kind: 'tokenise-only' }],
    [{ chargeAmount: '0.000', currency: 'usd' }, { kind: 'tokenise-only' }],
    [
      { chargeAmount: '10.00', currency: 'usd' },
      { kind: 'charge', currency: 'usd', minorUnits: 1000 },
    ],
    [{ chargeAmount: '10.5' }, { kind: 'charge', currency: 'usd', minorUnits: 1050 }],
    [
      { chargeAmount: '1000', currency: 'JPY' },
      { kind: 'charge', currency: 'jpy', minorUnits: 1000 },
    ],
    [
      { chargeAmount: '1.5', currency: 'kwd' },
      { kind: 'charge', currency: 'kwd', minorUnits: 1500 },
    ],
    [
      { chargeAmount: '999999999999.999', currency: 'bhd' },
      { kind: 'charge', currency: 'bhd', minorUnits: 999_999_999_999_999 },
    ],
    [
      { chargeAmount: '10.5', currency: 'jpy' },
      { kind: 'invalid', field: 'chargeAmount' },
    ],
    [
      { chargeAmount: '10.001', currency: 'eur' },
      { kind: 'invalid', field: 'chargeAmount' },
    ],
    [{ chargeAmount: '1e3' }, { kind: 'invalid', field: 'chargeAmount' }],
    [{ chargeAmount: '-1.00' }, { kind: 'invalid', field: 'chargeAmount' }],
    [{ chargeAmount: '.50' }, { kind: 'invalid', field: 'chargeAmount' }],
    [{ chargeAmount: '1234567890123' }, { kind: 'invalid', field: 'chargeAmount' }],
    [
      { chargeAmount: '5.00', currency: 'us' },
      { kind: 'invalid', field: 'currency' },
    ],
  ])('%j → %j', (payload, expected) => {
    expect(readChargeAmount(payload)).toEqual(expected);
  });

  it('knows the exponents 0, 2 and 3', () => {
    expect([currencyExponent('jpy'), currencyExponent('EUR'), currencyExponent('Kwd')]).toEqual([0, 2, 3]);
  });
});

import { describe, expect, it } from 'vitest';
import { holdsCardNumber, refuseCardNumbers } from '../../../src/application/payments/card-number-text.js';

describe('card numbers in free text', () => {
  it.each([
    ['4242424242424242', true],
    ['card 4242 4242 4242 4242 thanks', true],
    ['order-5555-5555-5555-4444', true],
    ['4242424242424241', false], // not Luhn-valid
    ['123e4567-e89b-12d3-a456-426614174000', false],
    ['order 20261123-0001', false],
    ['1795421943000', false],
    ['', false],
  ])('%s: %s', (text, holds) => {
    expect(holdsCardNumber(text)).toBe(holds);
  });

  it('refuses the field by name, never echoing its text, and lets absent fields pass', () => {
    expect(() => refuseCardNumbers({ memo: undefined, note: 'fine' })).not.toThrow();
    let error: unknown;
    try {
      refuseCardNumbers({ note: 'fine', memo: 'pay with 4242424242424242' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'GW_ERR_INVALID_BODY',
      message: '"memo" must not contain a card number',
    });
  });
});

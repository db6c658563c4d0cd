import type { CardBrand } from './card-brand.js';

/**
 * The lengths a security code may have: 4 digits for amex, 3 for every other brand. Before the card
 * number is known (agent mode may ask for the code first) both are accepted; accepting the card number
 * later re-checks the code.
 */
export function securityCodeLengths(brand: CardBrand | undefined): readonly number[] {
  if (brand === undefined) return [3, 4];
  return brand === 'amex' ? [4] : [3];
}

export function isValidSecurityCodeLength(length: number, brand: CardBrand | undefined): boolean {
  return securityCodeLengths(brand).includes(length);
}

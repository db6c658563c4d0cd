import { BRAND_TABLE, type CardBrand, SECURITY_CODE_LENGTHS } from './card-brand.js';

/** Every security-code length some brand has (3 and 4), shortest first. */
const ANY_BRAND: readonly number[] = Object.freeze(
  [...new Set(BRAND_TABLE.map(({ securityCode }) => securityCode.length))].sort((a, b) => a - b),
);

/**
 * The lengths a security code may have: the brand's own (card-brand-data.ts: 4 digits for amex, 3
 * for every other brand the table holds). Before the card number is known (agent mode may ask for
 * the code first) any brand's length is accepted; accepting the card number later re-checks the code.
 */
export function securityCodeLengths(brand: CardBrand | undefined): readonly number[] {
  if (brand === undefined) return ANY_BRAND;
  return [SECURITY_CODE_LENGTHS[brand]];
}

export function isValidSecurityCodeLength(length: number, brand: CardBrand | undefined): boolean {
  return securityCodeLengths(brand).includes(length);
}

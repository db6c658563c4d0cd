import { CARD_LENGTHS, type CardBrand, detectBrand } from './card-brand.js';
import { isLuhnValid } from './luhn.js';

export type CardNumberVerdict =
  | { readonly ok: true; readonly brand: CardBrand }
  | { readonly ok: false; readonly errorType: 'invalid-card-number' | 'invalid-card-type' };

export interface CardNumberRules {
  /** The brands the merchant accepts. */
  readonly validCardTypes: readonly CardBrand[];
}

/**
 * Judges a whole card number (digit values 0–9). A number of no brand, or of a brand outside
 * `validCardTypes`, is `invalid-card-type`; a number too short to have a brand, of a length its
 * brand does not have, or failing Luhn is `invalid-card-number`.
 */
export function validateCardNumber(digits: ArrayLike<number>, rules: CardNumberRules): CardNumberVerdict {
  const detection = detectBrand(digits);
  if (detection.kind === 'none') return { ok: false, errorType: 'invalid-card-type' };
  if (detection.kind === 'undecided') return { ok: false, errorType: 'invalid-card-number' };
  const { brand } = detection;
  if (!rules.validCardTypes.includes(brand)) return { ok: false, errorType: 'invalid-card-type' };
  if (!CARD_LENGTHS[brand].includes(digits.length) || !isLuhnValid(digits)) {
    return { ok: false, errorType: 'invalid-card-number' };
  }
  return { ok: true, brand };
}

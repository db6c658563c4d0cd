import {
  type CardBrand,
  detectBrand,
  MAX_CARD_NUMBER_LENGTH,
  maxCardNumberLength,
} from '../card/card-brand.js';
import { validateCardNumber } from '../card/card-number.js';
import { EXPIRY_LENGTH, validateExpiry } from '../card/expiry.js';
import { isValidPostalCodeLength } from '../card/postal-code.js';
import type { SecureDigits } from '../card/secure-digits.js';
import { isValidSecurityCodeLength, securityCodeLengths } from '../card/security-code.js';
import type { ResolvedCaptureSettings } from './capture-settings.js';
import type { CardSummary } from './capture-state.js';
import type { CaptureField, FieldErrorType } from './capture-types.js';

/** How many digits a field's buffer must hold. */
export function fieldCapacity(field: CaptureField, settings: ResolvedCaptureSettings): number {
  switch (field) {
    case 'payment-card-number':
      return MAX_CARD_NUMBER_LENGTH;
    case 'expiration-date':
      return EXPIRY_LENGTH;
    case 'security-code':
      return Math.max(...securityCodeLengths(undefined));
    case 'postal-code':
      return settings.postalCodeLength.max;
  }
}

export interface FieldContext {
  readonly settings: ResolvedCaptureSettings;
  /** The brand of the validated card number, if there is one. */
  readonly cardBrand: CardBrand | undefined;
}

/** The length at which a field submits itself, given the digits keyed so far. */
export function fieldMaxLength(field: CaptureField, digits: SecureDigits, context: FieldContext): number {
  switch (field) {
    case 'payment-card-number':
      return digits.evaluate((keyed) => maxCardNumberLength(detectBrand(keyed)));
    case 'security-code':
      return Math.max(...securityCodeLengths(context.cardBrand));
    default:
      return fieldCapacity(field, context.settings);
  }
}

/** The brand the keyed card-number digits decide so far, if they decide one. */
export function keyedBrand(digits: SecureDigits): CardBrand | undefined {
  const detection = digits.evaluate(detectBrand);
  return detection.kind === 'decided' ? detection.brand : undefined;
}

export type FieldVerdict =
  | { readonly ok: true; readonly card: CardSummary }
  | { readonly ok: false; readonly errorType: FieldErrorType };

/**
 * Judges a submitted field. A valid card number yields its brand and last four (the only digits the
 * domain takes out of a buffer besides revealCardForConnector); a valid expiry its month and year.
 */
export function judgeField(
  field: CaptureField,
  digits: SecureDigits,
  context: FieldContext & { readonly now: number },
): FieldVerdict {
  switch (field) {
    case 'payment-card-number':
      return digits.evaluate((keyed) => {
        const verdict = validateCardNumber(keyed, context.settings);
        if (!verdict.ok) return verdict;
        return { ok: true, card: { brand: verdict.brand, last4: lastFour(keyed) } };
      });
    case 'expiration-date':
      return digits.evaluate((keyed) => {
        const verdict = validateExpiry(keyed, context.now);
        if (!verdict.ok) return { ok: false, errorType: 'invalid-date' };
        return { ok: true, card: { expMonth: verdict.month, expYear: verdict.year } };
      });
    case 'security-code':
      return isValidSecurityCodeLength(digits.length, context.cardBrand)
        ? { ok: true, card: {} }
        : { ok: false, errorType: 'invalid-security-code' };
    case 'postal-code':
      return isValidPostalCodeLength(digits.length, context.settings.postalCodeLength)
        ? { ok: true, card: {} }
        : { ok: false, errorType: 'invalid-postal-code' };
  }
}

function lastFour(keyed: ArrayLike<number>): string {
  let last4 = '';
  for (let i = Math.max(0, keyed.length - 4); i < keyed.length; i += 1) last4 += String(keyed[i] ?? 0);
  return last4;
}

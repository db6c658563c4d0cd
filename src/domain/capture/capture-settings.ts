import { GatewayError } from '../../errors.js';
import { CARD_BRANDS, type CardBrand, isCardBrand } from '../card/card-brand.js';
import type { PostalCodeLength } from '../card/postal-code.js';
import { CAPTURE_MODES, type CaptureMode } from './capture-types.js';

/** The payment settings that shape a capture; every one is optional. */
export interface CaptureSettings {
  /** Brands the merchant accepts (default: all of CARD_BRANDS). */
  readonly validCardTypes?: readonly CardBrand[];
  /** Ask for the security code (default true, as Twilio). */
  readonly securityCode?: boolean;
  /** Ask for the postal code (default false, as Twilio). */
  readonly postalCode?: boolean;
  /** Default `auto`. */
  readonly captureMode?: CaptureMode;
  /**
   * Read the amount back and wait for `#` (confirm) or `*` (cancel) once every field is valid, before
   * the card goes to the processor (default false; the payment service sets it for a charge).
   */
  readonly confirmAmount?: boolean;
  /** Failed attempts per field before the payment fails (default 3). */
  readonly maxAttempts?: number;
  /** How long to wait for the first digit of a field (default 15 s). */
  readonly firstDigitTimeoutMs?: number;
  /** How long to wait for each further digit (default 5 s). */
  readonly interDigitTimeoutMs?: number;
  /** Postal code length bounds (default exactly 5 digits, a US ZIP code). */
  readonly postalCodeLength?: PostalCodeLength;
  /**
   * The whole capture's lifetime (default 10 min). When it passes before the card goes to the
   * processor, the payment fails (`input-timeout`, outcome `cancelled`) and every digit is zeroed, so
   * no keyed digit waits in memory for an agent who never completes.
   */
  readonly maxDurationMs?: number;
}

export type ResolvedCaptureSettings = Readonly<Required<CaptureSettings>>;

export const CAPTURE_DEFAULTS: ResolvedCaptureSettings = Object.freeze({
  validCardTypes: CARD_BRANDS,
  securityCode: true,
  postalCode: false,
  captureMode: 'auto',
  confirmAmount: false,
  maxAttempts: 3,
  firstDigitTimeoutMs: 15_000,
  interDigitTimeoutMs: 5_000,
  postalCodeLength: Object.freeze({ min: 5, max: 5 }),
  maxDurationMs: 600_000,
});

/** Bounds the settings must keep; boundary schemas (zod) should use the same numbers. */
export const CAPTURE_LIMITS = Object.freeze({
  maxAttempts: Object.freeze({ min: 1, max: 10 }),
  timeoutMs: Object.freeze({ min: 1_000, max: 120_000 }),
  postalCodeLength: Object.freeze({ min: 1, max: 10 }),
  maxDurationMs: Object.freeze({ min: 30_000, max: 3_600_000 }),
});

function invalid(setting: string, rule: string): GatewayError {
  return new GatewayError('GW_ERR_INVALID_BODY', `"${setting}" ${rule}`);
}

function checkInteger(setting: string, value: number, bounds: { min: number; max: number }): void {
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw invalid(setting, `must be an integer from ${bounds.min} to ${bounds.max}`);
  }
}

/**
 * Fills in the defaults and checks the bounds. Throws GatewayError `GW_ERR_INVALID_BODY` naming the
 * setting; the boundary is expected to have parsed the request already, so this is a second line.
 */
export function resolveCaptureSettings(settings: CaptureSettings = {}): ResolvedCaptureSettings {
  const resolved = { ...CAPTURE_DEFAULTS, ...withoutUndefined(settings) };
  const { validCardTypes, maxAttempts, firstDigitTimeoutMs, interDigitTimeoutMs, postalCodeLength } =
    resolved;
  if (validCardTypes.length === 0 || !validCardTypes.every(isCardBrand)) {
    throw invalid('validCardTypes', `must list one or more of ${CARD_BRANDS.join(', ')}`);
  }
  if (!CAPTURE_MODES.includes(resolved.captureMode)) {
    throw invalid('captureMode', `must be one of ${CAPTURE_MODES.join(', ')}`);
  }
  checkInteger('maxAttempts', maxAttempts, CAPTURE_LIMITS.maxAttempts);
  checkInteger('firstDigitTimeoutMs', firstDigitTimeoutMs, CAPTURE_LIMITS.timeoutMs);
  checkInteger('interDigitTimeoutMs', interDigitTimeoutMs, CAPTURE_LIMITS.timeoutMs);
  checkInteger('maxDurationMs', resolved.maxDurationMs, CAPTURE_LIMITS.maxDurationMs);
  checkInteger('postalCodeLength.min', postalCodeLength.min, CAPTURE_LIMITS.postalCodeLength);
  checkInteger('postalCodeLength.max', postalCodeLength.max, CAPTURE_LIMITS.postalCodeLength);
  if (postalCodeLength.min > postalCodeLength.max) {
    throw invalid('postalCodeLength', 'must have min no greater than max');
  }
  return Object.freeze({
    ...resolved,
    validCardTypes: Object.freeze([...new Set(validCardTypes)]),
    postalCodeLength: Object.freeze({ ...postalCodeLength }),
  });
}

function withoutUndefined(settings: CaptureSettings): CaptureSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

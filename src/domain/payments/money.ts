import { GatewayError } from '../../errors.js';

/** ISO 4217 currencies without minor units, as Stripe lists them ("zero-decimal currencies"). */
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'isk',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);
/** ISO 4217 currencies with three minor-unit digits. */
const THREE_DECIMAL = new Set(['bhd', 'iqd', 'jod', 'kwd', 'lyd', 'omr', 'tnd']);

const AMOUNT = /^(\d{1,12})(?:\.(\d{1,3}))?$/;
const CURRENCY = /^[a-z]{3}$/;

/** How many minor-unit digits `currency` has (0, 2 or 3). */
export function minorUnitDigits(currency: string): number {
  const code = currency.toLowerCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/**
 * Converts a decimal amount in major units to an integer of minor units: ("10.00", "usd") → 1000,
 * ("1000", "jpy") → 1000, ("1.5", "kwd") → 1500. Exact (no floating point). Throws
 * GW_ERR_INVALID_AMOUNT when the text is not a plain decimal or has more fraction digits than the
 * currency allows.
 */
export function toMinorUnits(amount: string, currency: string): number {
  if (!CURRENCY.test(currency.toLowerCase())) {
    throw new GatewayError('GW_ERR_INVALID_AMOUNT', '"currency" must be a three-letter ISO 4217 code');
  }
  const match = AMOUNT.exec(amount);
  if (!match) {
    throw new GatewayError(
      'GW_ERR_INVALID_AMOUNT',
      '"chargeAmount" must be a plain decimal amount (digits, then an optional point and fraction)',
    );
  }
  const digits = minorUnitDigits(currency);
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    throw new GatewayError(
      'GW_ERR_INVALID_AMOUNT',
      `"chargeAmount" has more than ${digits} decimal place(s) for "currency"`,
    );
  }
  const minor = Number(whole + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) {
    throw new GatewayError('GW_ERR_INVALID_AMOUNT', '"chargeAmount" is too large');
  }
  return minor;
}

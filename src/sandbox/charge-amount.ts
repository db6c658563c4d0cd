import type { CardPayload } from './wire-format.js';

/**
 * Spec, "Amounts": ISO 4217 minor-unit exponents. Currencies not named here have two decimals.
 * The zero-decimal list is the one Stripe publishes; the three-decimal list is ISO 4217's.
 */
const EXPONENT_0 = new Set('BIF CLP DJF GNF ISK JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF'.split(' '));
const EXPONENT_3 = new Set('BHD IQD JOD KWD LYD OMR TND'.split(' '));

/** A decimal amount in major units: up to 12 whole digits, then optionally a point and 1–3 more. */
const DECIMAL = /^(?<whole>[0-9]{1,12})(?:\.(?<fraction>[0-9]{1,3}))?$/;

export type ChargeAmount =
  /** No amount, or an amount of zero: tokenise the card, move no money. */
  | { readonly kind: 'tokenise-only' }
  | { readonly kind: 'charge'; readonly currency: string; readonly minorUnits: number }
  /** `field` names what is wrong, never its value. */
  | { readonly kind: 'invalid'; readonly field: 'chargeAmount' | 'currency' };

/** The exponent of `currency` (a three-letter code, any case): 0, 2 or 3. */
export function currencyExponent(currency: string): 0 | 2 | 3 {
  const code = currency.toUpperCase();
  if (EXPONENT_0.has(code)) return 0;
  return EXPONENT_3.has(code) ? 3 : 2;
}

/** Reads the payload's chargeAmount and currency by the spec's rules (currency defaults to usd). */
export function readChargeAmount(payload: Pick<CardPayload, 'chargeAmount' | 'currency'>): ChargeAmount {
  if (payload.chargeAmount === undefined) return { kind: 'tokenise-only' };
  const parts = DECIMAL.exec(payload.chargeAmount)?.groups;
  if (parts?.whole === undefined) return { kind: 'invalid', field: 'chargeAmount' };
  const fraction = parts.fraction ?? '';
  if (!/[1-9]/.test(parts.whole + fraction)) return { kind: 'tokenise-only' };
  const currency = (payload.currency ?? 'usd').toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) return { kind: 'invalid', field: 'currency' };
  const exponent = currencyExponent(currency);
  if (fraction.length > exponent) return { kind: 'invalid', field: 'chargeAmount' };
  return { kind: 'charge', currency, minorUnits: Number(parts.whole + fraction.padEnd(exponent, '0')) };
}

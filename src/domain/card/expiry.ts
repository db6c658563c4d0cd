/** How far ahead an expiry date may lie, in months (20 years). */
export const MAX_EXPIRY_MONTHS_AHEAD = 20 * 12;

export const EXPIRY_LENGTH = 4;

export type ExpiryVerdict =
  | { readonly ok: true; readonly month: number; readonly year: number }
  | { readonly ok: false };

/**
 * Judges an expiry date keyed as MMYY (digit values 0–9) against the clock `now` (epoch ms). The
 * month must be 01–12; the date must not be past (the current month is valid) and at most 20 years
 * ahead. Months are calendar months in UTC. YY is read as the year of that ending nearest to now.
 */
export function validateExpiry(digits: ArrayLike<number>, now: number): ExpiryVerdict {
  if (digits.length !== EXPIRY_LENGTH) return { ok: false };
  const month = twoDigitNumber(digits, 0);
  if (month < 1 || month > 12) return { ok: false };

  const today = new Date(now);
  const thisYear = today.getUTCFullYear();
  const year = nearestYearEndingIn(twoDigitNumber(digits, 2), thisYear);
  const monthsAhead = (year - thisYear) * 12 + (month - 1 - today.getUTCMonth());
  if (monthsAhead < 0 || monthsAhead > MAX_EXPIRY_MONTHS_AHEAD) return { ok: false };
  return { ok: true, month, year };
}

function twoDigitNumber(digits: ArrayLike<number>, at: number): number {
  return (digits[at] ?? 0) * 10 + (digits[at + 1] ?? 0);
}

function nearestYearEndingIn(twoDigits: number, thisYear: number): number {
  const year = thisYear - (thisYear % 100) + twoDigits;
  if (year < thisYear - 50) return year + 100;
  if (year > thisYear + 49) return year - 100;
  return year;
}

/**
 * The Luhn (mod 10) check of ISO/IEC 7812-1. `digits` holds digit values 0–9 (not characters), so a
 * card number can be checked without ever becoming a string.
 */
export function isLuhnValid(digits: ArrayLike<number>): boolean {
  if (digits.length === 0) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i -= 1, double = !double) {
    const digit = digits[i] ?? 0;
    const value = double ? digit * 2 : digit;
    sum += value > 9 ? value - 9 : value;
  }
  return sum % 10 === 0;
}

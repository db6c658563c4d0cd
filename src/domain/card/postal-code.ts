/** Length bounds of a postal code; a keypad sends digits only, so the length is all there is to judge. */
export interface PostalCodeLength {
  readonly min: number;
  readonly max: number;
}

export function isValidPostalCodeLength(length: number, bounds: PostalCodeLength): boolean {
  return length >= bounds.min && length <= bounds.max;
}

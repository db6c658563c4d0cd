/**
 * Card brands, their IIN (issuer identification number) prefixes, card-number lengths and security
 * codes, and brand detection from the fewest leading digits that decide it.
 *
 * The table is card-brand-data.ts, generated from the maintained `credit-card-type` package
 * (scripts/card-brands.ts; a unit test fails when the file and the package differ). Its brands:
 * visa, mastercard, amex, diners-club, discover, troy, jcb, unionpay, naranja, verve, maestro, elo,
 * mir, hiper, hipercard. The package has no RuPay and no Cartes Bancaires: a CB card is co-badged
 * with Visa or Mastercard and its number lies in their ranges, so it is read as that brand.
 *
 * A number whose prefix lies in more than one brand's ranges (a co-badged or carved-out range: elo's
 * 401178 inside visa's 4, troy's 650052 inside discover's 65, verve's 506099–506127 inside one of
 * maestro's) has ONE brand: the brand of the longest (most specific) prefix that holds it; between
 * prefixes of the same length, the brand earlier in the table (the package's own order). This is
 * the package's rule, and a property test checks that the two agree on whole numbers. The per-payment
 * allow-list (`validCardTypes`) is checked against that one brand only: a merchant accepting visa
 * does not take an elo card whose range sits inside visa's 4 (invalid-card-type); it lists elo.
 */

import { BRAND_DATA, CARD_BRANDS } from './card-brand-data.js';

export { CARD_BRANDS };
export type CardBrand = (typeof CARD_BRANDS)[number];

export interface BrandInfo {
  readonly brand: CardBrand;
  /** The brand's own name, as cards and the desk print it. */
  readonly name: string;
  readonly lengths: readonly number[];
  /** What the brand calls its security code (CVV, CVC, CID …) and how many digits it has. */
  readonly securityCode: { readonly name: string; readonly length: number };
  /** `4`, `51-55`: a prefix, or an inclusive range of prefixes of one length. */
  readonly iins: readonly string[];
}

/** Every brand, in the table's (tie-breaking) order. */
export const BRAND_TABLE: readonly BrandInfo[] = Object.freeze(
  BRAND_DATA.map(({ brand, name, lengths, securityCode, iins }) =>
    Object.freeze({
      brand,
      name,
      lengths: Object.freeze([...lengths]),
      securityCode: Object.freeze({ ...securityCode }),
      iins: Object.freeze(iins.flatMap((line) => line.split(' '))),
    }),
  ),
);

/** An IIN range: every number whose first `from.length` digits lie in from..to (inclusive). */
export interface IinRange {
  readonly brand: CardBrand;
  readonly from: string;
  readonly to: string;
}

export const IIN_RANGES: readonly IinRange[] = Object.freeze(
  BRAND_TABLE.flatMap(({ brand, iins }) =>
    iins.map((iin) => {
      const [from = '', to = from] = iin.split('-');
      return Object.freeze({ brand, from, to });
    }),
  ),
);

function brandRecord<T>(value: (info: BrandInfo) => T): Readonly<Record<CardBrand, T>> {
  return Object.freeze(
    Object.fromEntries(BRAND_TABLE.map((info) => [info.brand, value(info)])) as Record<CardBrand, T>,
  );
}

/** The valid card-number lengths of each brand. */
export const CARD_LENGTHS: Readonly<Record<CardBrand, readonly number[]>> = brandRecord(
  ({ lengths }) => lengths,
);

/** The brand's own name (`American Express`), the one the desk shows. */
export const BRAND_NAMES: Readonly<Record<CardBrand, string>> = brandRecord(({ name }) => name);

/** How many digits each brand's security code has. */
export const SECURITY_CODE_LENGTHS: Readonly<Record<CardBrand, number>> = brandRecord(
  ({ securityCode }) => securityCode.length,
);

/** The longest card number of any brand. */
export const MAX_CARD_NUMBER_LENGTH = Math.max(...BRAND_TABLE.flatMap(({ lengths }) => lengths));

/**
 * What the leading digits say about the brand:
 * - `decided`: every number that starts with these digits is of this brand;
 * - `undecided`: more digits are needed; `candidates` are the brands still possible (a number of no
 *   brand may be possible too);
 * - `none`: no number that starts with these digits has a brand.
 */
export type BrandDetection =
  | { readonly kind: 'decided'; readonly brand: CardBrand }
  | { readonly kind: 'undecided'; readonly candidates: readonly CardBrand[] }
  | { readonly kind: 'none' };

/** The longest prefix in the table: that many digits always settle the brand. */
const IIN_DIGITS = Math.max(...IIN_RANGES.map(({ from }) => from.length));

interface ScaledRange {
  readonly brand: CardBrand;
  readonly low: number;
  /** Exclusive. */
  readonly high: number;
  readonly specificity: number;
}

const SCALED_RANGES: readonly ScaledRange[] = Object.freeze(
  IIN_RANGES.map(({ brand, from, to }) => {
    const scale = 10 ** (IIN_DIGITS - from.length);
    return { brand, low: Number(from) * scale, high: (Number(to) + 1) * scale, specificity: from.length };
  }),
);

/**
 * The brand of the IIN `iin` (IIN_DIGITS digits): the most specific range that holds it, the earlier
 * brand of the table between equally specific ones.
 */
function brandOfIin(iin: number): CardBrand | undefined {
  let best: ScaledRange | undefined;
  for (const range of SCALED_RANGES) {
    if (
      iin >= range.low &&
      iin < range.high &&
      (best === undefined || range.specificity > best.specificity)
    ) {
      best = range;
    }
  }
  return best?.brand;
}

/**
 * The brand that the leading digits of a card number decide, if they decide one. `digits` holds digit
 * values 0–9 (not characters); only the first IIN_DIGITS (8) are read.
 */
export function detectBrand(digits: ArrayLike<number>): BrandDetection {
  const known = Math.min(digits.length, IIN_DIGITS);
  let prefix = 0;
  for (let i = 0; i < known; i += 1) prefix = prefix * 10 + (digits[i] ?? 0);
  const width = 10 ** (IIN_DIGITS - known);
  const low = prefix * width;
  const high = low + width;

  // Cut [low, high) wherever a range starts or ends; inside each piece the brand is constant.
  const cuts = new Set<number>([low]);
  for (const range of SCALED_RANGES) {
    if (range.low > low && range.low < high) cuts.add(range.low);
    if (range.high > low && range.high < high) cuts.add(range.high);
  }
  const found = new Set<CardBrand | undefined>();
  for (const cut of cuts) found.add(brandOfIin(cut));
  return summarise(found);
}

function summarise(found: ReadonlySet<CardBrand | undefined>): BrandDetection {
  const candidates = CARD_BRANDS.filter((brand) => found.has(brand));
  const [only] = candidates;
  if (only === undefined) return { kind: 'none' };
  if (candidates.length === 1 && !found.has(undefined)) return { kind: 'decided', brand: only };
  return { kind: 'undecided', candidates };
}

/** The most digits a card number starting with these digits can have. */
export function maxCardNumberLength(detection: BrandDetection): number {
  if (detection.kind === 'decided') return Math.max(...CARD_LENGTHS[detection.brand]);
  if (detection.kind === 'undecided') {
    return Math.max(...detection.candidates.flatMap((brand) => CARD_LENGTHS[brand]));
  }
  return MAX_CARD_NUMBER_LENGTH;
}

export function isCardBrand(value: unknown): value is CardBrand {
  return typeof value === 'string' && (CARD_BRANDS as readonly string[]).includes(value);
}

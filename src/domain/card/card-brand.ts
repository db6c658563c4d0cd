/**
 * Card brands, their IIN (issuer identification number) ranges and their valid lengths, and brand
 * detection from the fewest leading digits that decide it.
 *
 * | brand       | IIN prefixes                                          | lengths |
 * | ----------- | ----------------------------------------------------- | ------- |
 * | visa        | 4                                                     | 13, 16, 19 |
 * | mastercard  | 51–55, 2221–2720                                      | 16      |
 * | amex        | 34, 37                                                | 15      |
 * | discover    | 6011, 644–649, 65, 622126–622925                      | 16–19   |
 * | jcb         | 3528–3589                                             | 16–19   |
 * | diners-club | 300–305, 36, 38–39                                    | 14–19   |
 * | unionpay    | 62 (except 622126–622925, which are discover)         | 16–19   |
 * | maestro     | 5018, 5020, 5038, 5893, 6304, 6759, 6761–6763         | 12–19   |
 *
 * Where ranges overlap, the longer (more specific) prefix wins: 622126–622925 lie inside unionpay's 62
 * and are discover. Every range is at most six digits long, so six digits always settle the brand.
 */

export const CARD_BRANDS = [
  'visa',
  'mastercard',
  'amex',
  'discover',
  'jcb',
  'diners-club',
  'unionpay',
  'maestro',
] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

/** An IIN range: every number whose first `from.length` digits lie in from..to (inclusive). */
export interface IinRange {
  readonly brand: CardBrand;
  readonly from: string;
  readonly to: string;
}

function ranges(brand: CardBrand, ...spans: ReadonlyArray<readonly [string, string]>): IinRange[] {
  return spans.map(([from, to]) => ({ brand, from, to }));
}

export const IIN_RANGES: readonly IinRange[] = Object.freeze([
  ...ranges('visa', ['4', '4']),
  ...ranges('mastercard', ['51', '55'], ['2221', '2720']),
  ...ranges('amex', ['34', '34'], ['37', '37']),
  ...ranges('discover', ['6011', '6011'], ['644', '649'], ['65', '65'], ['622126', '622925']),
  ...ranges('jcb', ['3528', '3589']),
  ...ranges('diners-club', ['300', '305'], ['36', '36'], ['38', '39']),
  ...ranges('unionpay', ['62', '62']),
  ...ranges(
    'maestro',
    ['5018', '5018'],
    ['5020', '5020'],
    ['5038', '5038'],
    ['5893', '5893'],
    ['6304', '6304'],
    ['6759', '6759'],
    ['6761', '6763'],
  ),
]);

function span(from: number, to: number): readonly number[] {
  return Object.freeze(Array.from({ length: to - from + 1 }, (_, i) => from + i));
}

/** The valid card-number lengths of each brand (industry-standard values; see the table above). */
export const CARD_LENGTHS: Readonly<Record<CardBrand, readonly number[]>> = Object.freeze({
  visa: Object.freeze([13, 16, 19]),
  mastercard: Object.freeze([16]),
  amex: Object.freeze([15]),
  discover: span(16, 19),
  jcb: span(16, 19),
  'diners-club': span(14, 19),
  unionpay: span(16, 19),
  maestro: span(12, 19),
});

/** The longest card number of any brand. */
export const MAX_CARD_NUMBER_LENGTH = 19;

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

const IIN_DIGITS = 6;

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

/** The brand of the six-digit IIN `iin`: the most specific range that holds it. */
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
 * values 0–9 (not characters); only the first six are read.
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

/**
 * The card-brand table as the maintained `credit-card-type` package (Braintree, MIT) holds it, in the
 * shape of src/domain/card/card-brand-data.ts: scripts/card-brands.ts writes that file from it and
 * test/unit/domain/card-brand-data.test.ts fails when the two differ.
 *
 * The package's own matcher is not used at run time: it reads card numbers as strings (card digits
 * live only in SecureDigits buffers here) and keeps module-level state (addCard, changeOrder). Its
 * data is: per brand the IIN prefixes (a number or an inclusive [from, to] of one length), the
 * card-number lengths and the security code's name and size; the order of `creditCardType('')` is the
 * order it breaks ties in (two prefixes of the same length), kept here as the table's order.
 */
import { createRequire } from 'node:module';
import type { BrandInfo } from '../../src/domain/card/card-brand.js';

/** A brand as the domain holds it, its id any string (the package may have brands the domain has not). */
export type SourceBrand = Omit<BrandInfo, 'brand'> & { readonly brand: string };

interface PackageCard {
  readonly type: string;
  readonly niceType: string;
  readonly patterns: ReadonlyArray<number | readonly number[]>;
  readonly lengths: readonly number[];
  readonly code: { readonly name: string; readonly size: number };
}

type CreditCardType = ((cardNumber: string) => PackageCard[]) & {
  getTypeInfo(type: string): PackageCard;
};

/** The package's ids, but `amex` (the Twilio Pay name the API had from the start). */
const RENAMED: Readonly<Record<string, string>> = { 'american-express': 'amex' };

export const PACKAGE_NAME = 'credit-card-type';

export function packageVersion(): string {
  const require = createRequire(import.meta.url);
  return (require(`${PACKAGE_NAME}/package.json`) as { version: string }).version;
}

function loadPackage(): CreditCardType {
  return createRequire(import.meta.url)(PACKAGE_NAME) as CreditCardType;
}

function iinOf(pattern: number | readonly number[]): string {
  if (typeof pattern === 'number') return String(pattern);
  const [from, to] = pattern.map(String);
  if (from === undefined || to === undefined || from.length !== to.length || Number(from) > Number(to)) {
    throw new Error(`${PACKAGE_NAME}: a range whose ends differ in length or order: ${pattern.join('-')}`);
  }
  return from === to ? from : `${from}-${to}`;
}

export function brandIdOf(packageType: string): string {
  return RENAMED[packageType] ?? packageType;
}

/** Every brand of the installed package, in its tie-breaking order. */
export function sourceBrands(): SourceBrand[] {
  const creditCardType = loadPackage();
  return creditCardType('').map(({ type }) => {
    const card = creditCardType.getTypeInfo(type);
    return {
      brand: brandIdOf(card.type),
      name: card.niceType,
      lengths: [...card.lengths],
      securityCode: { name: card.code.name, length: card.code.size },
      iins: card.patterns.map(iinOf),
    };
  });
}

/** The package's brand of a whole card number (its own matcher; for tests), or undefined. */
export function packageBrandOf(cardNumber: string): string | undefined {
  const found = loadPackage()(cardNumber);
  if (found.length !== 1) return undefined;
  const [card] = found;
  return card === undefined ? undefined : brandIdOf(card.type);
}

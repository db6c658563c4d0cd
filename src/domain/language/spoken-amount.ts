import { minorUnitDigits, toMinorUnits } from '../payments/money.js';
import type { Catalogue, CountForms } from './catalogue-types.js';

/**
 * The amount of a payment as the customer hears it, in the catalogue's language: whole numbers and
 * the currency's words (`10 pounds and 50 pence`; espeak-ng reads each number in the voice's
 * language, so no decimal point is ever read), a unit's count in the form its plural category takes
 * (Intl.PluralRules: Polish 2 złote / 5 złotych, Welsh dwy bunt / tair punt). A zero part is left out
 * (`50 pence`), but for a zero amount. A currency the catalogue has no words for is read as the
 * number and its code letter by letter (`1000 J P Y`).
 */
export function spokenAmount(catalogue: Catalogue, chargeAmount: string, currency: string): string {
  const code = currency.toLowerCase();
  const digits = minorUnitDigits(code);
  const units = toMinorUnits(chargeAmount, code);
  const scale = 10 ** digits;
  const major = Math.floor(units / scale);
  const minor = units % scale;
  const words = catalogue.readBack.currencies[code];
  if (words === undefined) {
    const fraction = minor === 0 ? '' : ` ${catalogue.readBack.and} ${String(minor).padStart(digits, '0')}`;
    return `${major}${fraction} ${code.toUpperCase().split('').join(' ')}`;
  }
  const plural = new Intl.PluralRules(catalogue.language);
  const say = (count: number, forms: CountForms) =>
    (forms[plural.select(count)] ?? forms.other).replace('#', String(count));
  const parts: string[] = [];
  if (major > 0 || minor === 0) parts.push(say(major, words.major));
  if (minor > 0) parts.push(say(minor, words.minor));
  return parts.join(` ${catalogue.readBack.and} `);
}

/** The whole read-back sentence: the amount and how to confirm (#) or cancel (*). */
export function readBackSentence(catalogue: Catalogue, chargeAmount: string, currency: string): string {
  return catalogue.readBack.sentence(spokenAmount(catalogue, chargeAmount, currency));
}

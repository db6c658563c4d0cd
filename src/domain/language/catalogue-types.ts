import type { PromptId } from '../capture/capture-commands.js';
import type { Language } from './languages.js';

/**
 * One language's texts: what each prompt says to the customer, and the espeak-ng voice that speaks
 * them when no recording is dropped in (scripts/make-prompts.ts).
 */
export interface Catalogue {
  readonly language: Language;
  /** An espeak-ng voice name (`espeak-ng --voices`). */
  readonly espeakVoice: string;
  readonly prompts: Readonly<Record<PromptId, string>>;
  readonly readBack: ReadBackTexts;
}

/**
 * A count of a currency unit said in words by plural category (Intl.PluralRules of the language):
 * `#` stands for the number, which espeak-ng reads in the voice's language; a category the language
 * has but the entry leaves out takes `other`. Whole forms (`una libra`, `dwy bunt`) fix the gender
 * and mutation espeak-ng's own numbers would get wrong.
 */
export type CountForms = Readonly<Partial<Record<Intl.LDMLPluralRule, string>>> & { readonly other: string };

/** How the amount of a payment is read back before the card goes to the processor. */
export interface ReadBackTexts {
  /** The whole sentence around the amount: what it is and that # confirms and * cancels. */
  readonly sentence: (amount: string) => string;
  /** Joins the major and minor units (`ten pounds and fifty pence`). */
  readonly and: string;
  /** Per ISO 4217 code (lower case): the major and minor units' words. Others are spelled out. */
  readonly currencies: Readonly<Record<string, { readonly major: CountForms; readonly minor: CountForms }>>;
}

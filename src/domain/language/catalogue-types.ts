import type { PromptId } from '../capture/capture-commands.js';
import type { CaptureField, ErrorType, Outcome } from '../capture/capture-types.js';
import type { Language } from './languages.js';

/**
 * One language's texts: what each prompt says to the customer, and the espeak-ng voice that speaks
 * them when no recording is dropped in (scripts/make-prompts.ts).
 */
export interface Catalogue {
  readonly language: Language;
  /** The language's name in itself (`Cymraeg`), for the desk's language menu. */
  readonly name: string;
  /** An espeak-ng voice name (`espeak-ng --voices`). */
  readonly espeakVoice: string;
  readonly prompts: Readonly<Record<PromptId, string>>;
  readonly readBack: ReadBackTexts;
  /** The agent desk's words (src/delivery/ui/texts.js loads them from GET /ui/texts/<language>.json). */
  readonly desk: DeskTexts;
}

/**
 * The agent desk's texts. `language` is the language they are written in: a catalogue whose desk is
 * not translated yet holds en-GB's, and says so here (the page sets its `lang` from it).
 */
export interface DeskTexts {
  readonly language: Language;
  readonly fieldNames: Readonly<Record<CaptureField, string>>;
  readonly fieldHints: Readonly<Record<CaptureField, string>>;
  readonly statuses: Readonly<
    Record<'in-progress' | 'processing' | 'unknown' | 'succeeded' | 'failed' | 'cancelled', string>
  >;
  /** Why a field was rejected, with what to tell the customer. */
  readonly problems: Readonly<Record<ErrorType, string>>;
  readonly outcomes: Readonly<Record<Outcome | 'unknown', { readonly title: string; readonly text: string }>>;
  readonly roleNames: Readonly<Record<'agent' | 'supervisor' | 'auditor' | 'admin', string>>;
  /** While the customer hears the amount read back and the payment waits for # or *. */
  readonly readBack: { readonly awaiting: string };
  readonly orders: {
    readonly untitled: string;
    readonly take: string;
    readonly states: Readonly<Record<'open' | 'paid' | 'expired', string>>;
    /** `{what}` and `{amount}` stand for the order's description and amount. */
    readonly takeLabel: string;
    readonly arrived: string;
    readonly refused: Readonly<
      Record<'GW_ERR_ORDER_STATE' | 'GW_ERR_PAYMENT_ACTIVE' | 'GW_ERR_NOT_FOUND', string>
    >;
  };
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

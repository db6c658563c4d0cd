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
}

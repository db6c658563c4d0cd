import type { Call } from '../../application/calls/call-registry.js';
import type { PromptPlayer, SpokenCharge } from '../../application/payments/payment-ports.js';
import type { PromptId } from '../../domain/capture/capture-commands.js';
import { CATALOGUES } from '../../domain/language/catalogue.js';
import type { Language } from '../../domain/language/languages.js';
import { readBackSentence } from '../../domain/language/spoken-amount.js';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { NgClient } from './ng-client.js';
import { promptFile } from './prompt-files.js';
import type { SpokenText } from './spoken-text.js';

/**
 * Plays prompts to the customer with rtpengine's `play media` (the customer's tag as from-tag), from
 * `<directory>/<language>/<prompt id>.wav` (prompt-files.ts); a payment without a language is
 * spoken to in `defaultLanguage` (TONEWALL_DEFAULT_LANGUAGE).
 */
export class RtpenginePromptPlayer implements PromptPlayer {
  readonly #ng: NgClient;
  readonly #directory: string;
  readonly #defaultLanguage: Language;
  readonly #logger: Logger | undefined;
  readonly #spoken: SpokenText | undefined;
  readonly readsBackByDefault: boolean;

  constructor(options: {
    ng: NgClient;
    directory: string;
    defaultLanguage: Language;
    logger?: Logger;
    /** Speaks the amount read back; without it nothing is read back. */
    spoken?: SpokenText;
    /** A charge whose request does not say reads its amount back (TONEWALL_AMOUNT_READBACK). */
    readBackByDefault?: boolean;
  }) {
    this.readsBackByDefault = options.spoken !== undefined && options.readBackByDefault === true;
    this.#ng = options.ng;
    this.#directory = options.directory;
    this.#defaultLanguage = options.defaultLanguage;
    this.#logger = options.logger;
    this.#spoken = options.spoken;
  }

  async play(call: Call, prompt: PromptId, language: Language | undefined): Promise<void> {
    const spoken = language ?? this.#defaultLanguage;
    await this.#playFile(call, prompt, spoken, promptFile(this.#directory, spoken, prompt));
  }

  /**
   * The amount and currency in the language's words (catalogue read-back sentence, numbers read by
   * espeak-ng with the language's voice), spoken once per distinct sentence and played.
   */
  async readBack(call: Call, charge: SpokenCharge, language: Language | undefined): Promise<void> {
    if (this.#spoken === undefined) return;
    const spoken = language ?? this.#defaultLanguage;
    const catalogue = CATALOGUES[spoken];
    let file: string;
    try {
      const sentence = readBackSentence(catalogue, charge.chargeAmount, charge.currency);
      file = await this.#spoken.fileFor(sentence, catalogue.espeakVoice);
    } catch (cause) {
      throw new GatewayError('GW_ERR_PROMPT', 'the amount could not be spoken', { cause });
    }
    await this.#playFile(call, 'amount-read-back', spoken, file);
  }

  async #playFile(call: Call, prompt: string, spoken: Language, file: string): Promise<void> {
    try {
      await this.#ng.request({
        command: 'play media',
        'call-id': call.sipCallId,
        'from-tag': call.customerTag,
        file,
      });
      this.#logger?.debug({ callId: call.id, prompt, language: spoken, file }, 'prompt played');
    } catch (cause) {
      throw new GatewayError('GW_ERR_PROMPT', `prompt "${prompt}" could not be played`, { cause });
    }
  }
}

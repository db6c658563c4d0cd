import type { Call } from '../../application/calls/call-registry.js';
import type { PromptPlayer } from '../../application/payments/payment-ports.js';
import type { PromptId } from '../../domain/capture/capture-commands.js';
import type { Language } from '../../domain/language/languages.js';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { NgClient } from './ng-client.js';
import { promptFile } from './prompt-files.js';

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

  constructor(options: { ng: NgClient; directory: string; defaultLanguage: Language; logger?: Logger }) {
    this.#ng = options.ng;
    this.#directory = options.directory;
    this.#defaultLanguage = options.defaultLanguage;
    this.#logger = options.logger;
  }

  async play(call: Call, prompt: PromptId, language: Language | undefined): Promise<void> {
    const spoken = language ?? this.#defaultLanguage;
    const file = promptFile(this.#directory, spoken, prompt);
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

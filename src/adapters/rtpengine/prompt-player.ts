import type { Call } from '../../application/calls/call-registry.js';
import type { PromptPlayer } from '../../application/payments/payment-ports.js';
import type { PromptId } from '../../domain/capture/capture-commands.js';
import type { Language } from '../../domain/language/languages.js';
import { GatewayError } from '../../errors.js';
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

  constructor(options: { ng: NgClient; directory: string; defaultLanguage: Language }) {
    this.#ng = options.ng;
    this.#directory = options.directory;
    this.#defaultLanguage = options.defaultLanguage;
  }

  async play(call: Call, prompt: PromptId, language: Language | undefined): Promise<void> {
    try {
      await this.#ng.request({
        command: 'play media',
        'call-id': call.sipCallId,
        'from-tag': call.customerTag,
        file: promptFile(this.#directory, language ?? this.#defaultLanguage, prompt),
      });
    } catch (cause) {
      throw new GatewayError('GW_ERR_PROMPT', `prompt "${prompt}" could not be played`, { cause });
    }
  }
}

import { join } from 'node:path';
import type { Call } from '../../application/calls/call-registry.js';
import type { PromptPlayer } from '../../application/payments/payment-ports.js';
import type { PromptId } from '../../domain/capture/capture-commands.js';
import { GatewayError } from '../../errors.js';
import type { NgClient } from './ng-client.js';

/**
 * Plays prompts to the customer with rtpengine's `play media` (the customer's tag as from-tag), from
 * `<directory>/<prompt id>.wav` as scripts/make-prompts.ts writes them.
 */
export class RtpenginePromptPlayer implements PromptPlayer {
  readonly #ng: NgClient;
  readonly #directory: string;

  constructor(options: { ng: NgClient; directory: string }) {
    this.#ng = options.ng;
    this.#directory = options.directory;
  }

  async play(call: Call, prompt: PromptId): Promise<void> {
    try {
      await this.#ng.request({
        command: 'play media',
        'call-id': call.sipCallId,
        'from-tag': call.customerTag,
        file: join(this.#directory, `${prompt}.wav`),
      });
    } catch (cause) {
      throw new GatewayError('GW_ERR_PROMPT', `prompt "${prompt}" could not be played`, { cause });
    }
  }
}

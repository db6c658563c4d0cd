import type { Call } from '../../application/calls/call-registry.js';
import type { CaptureMaskingPort } from '../../application/media/capture-masking.js';
import { GatewayError } from '../../errors.js';
import type { NgClient } from './ng-client.js';

/**
 * The mute rtpengine's side of capture (docs/media.md, "While a payment captures"): `block media` on
 * the customer's tag stops every packet of the customer's audio on its way to the agent, whatever it
 * holds; `unblock media` lets it through again. The mute hop sits after the mask hop, so the mask
 * hop's in-band detector still hears (and reports) the customer's tones while the agent hears nothing.
 */
export class RtpengineCaptureMute implements CaptureMaskingPort {
  readonly #ng: NgClient;

  constructor(options: { ng: NgClient }) {
    this.#ng = options.ng;
  }

  enter(call: Call): Promise<void> {
    return this.#send('block media', call);
  }

  async leave(call: Call): Promise<void> {
    try {
      await this.#send('unblock media', call);
    } catch (error) {
      // the call ended meanwhile (rtpengine deleted it before Kamailio's call-ended event came):
      // there is nothing left to let through
      if (isUnknownCall(error)) return;
      throw error;
    }
  }

  async #send(command: 'block media' | 'unblock media', call: Call): Promise<void> {
    try {
      await this.#ng.request({ command, 'call-id': call.sipCallId, 'from-tag': call.customerTag });
    } catch (cause) {
      throw new GatewayError(
        'GW_ERR_MASKING',
        command === 'block media'
          ? "the mute rtpengine did not stop the customer's audio"
          : "the mute rtpengine did not let the customer's audio through again",
        { cause },
      );
    }
  }
}

/** rtpengine's answer for a call it does not hold (`error-reason: Unknown call-ID`). */
function isUnknownCall(error: unknown): boolean {
  const cause = error instanceof GatewayError ? error.cause : undefined;
  return (
    cause instanceof GatewayError &&
    cause.code === 'GW_ERR_NG_ERROR' &&
    /unknown call-id/i.test(cause.message)
  );
}

import type { Call } from '../../application/calls/call-registry.js';
import type { CaptureMaskingPort } from '../../application/media/capture-masking.js';
import { GatewayError } from '../../errors.js';
import type { NgClient } from './ng-client.js';
import type { NgDictionary } from './ng-codec.js';

/** The mask hop's `block DTMF`, as Kamailio gives it at answer (TONEWALL_BLOCK_DTMF_FLAGS). */
export function maskHopBlock(delayBufferMs: number): NgDictionary {
  return { 'DTMF-security': 'silence', 'delay-buffer': delayBufferMs, flags: ['detect-DTMF'] };
}

/**
 * The mask rtpengine's side of capture: `block DTMF` again on the customer's tag, as Kamailio applied
 * it at answer (silence, detect-DTMF), with the longer delay buffer while a payment captures and the
 * configured one after. Re-issuing the block keeps masking on throughout: there is no unblocked moment.
 */
export class RtpengineCaptureDelay implements CaptureMaskingPort {
  readonly #ng: NgClient;
  readonly #outsideMs: number;
  readonly #captureMs: number;

  constructor(options: { ng: NgClient; outsideCaptureMs: number; captureMs: number }) {
    this.#ng = options.ng;
    this.#outsideMs = options.outsideCaptureMs;
    this.#captureMs = options.captureMs;
  }

  enter(call: Call): Promise<void> {
    return this.#block(call, this.#captureMs);
  }

  leave(call: Call): Promise<void> {
    return this.#block(call, this.#outsideMs);
  }

  async #block(call: Call, delayBufferMs: number): Promise<void> {
    try {
      await this.#ng.request({
        command: 'block DTMF',
        'call-id': call.sipCallId,
        'from-tag': call.customerTag,
        ...maskHopBlock(delayBufferMs),
      });
    } catch (cause) {
      throw new GatewayError('GW_ERR_MASKING', 'the mask rtpengine did not take the capture delay', {
        cause,
      });
    }
  }
}

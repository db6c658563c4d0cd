import type { Logger } from '../../logger.js';
import type { Call, CallRegistry } from '../calls/call-registry.js';
import type { PaymentUpdate } from '../payments/payment-ports.js';

/**
 * What the media path does while a payment captures card digits on a call (docs/media.md, "While a
 * payment captures"): the mask hop holds the customer's audio longer, so that a tone the in-band
 * detector needs more time for (after a lost packet, under load) is still silenced. Outside capture
 * the shorter hold keeps the call's audio delay low. Masking itself is on from answer either way.
 */
export interface CaptureMaskingPort {
  /** The payment on `call` starts capturing: raise the protection. */
  enter(call: Call): Promise<void>;
  /** The payment ended: back to the protection outside capture. */
  leave(call: Call): Promise<void>;
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Follows every payment and tells the media path when capture starts and ends on a call. A failure
 * is logged (with the call id, never digits): masking stays on at its outside-capture setting, and
 * the log line says the capture ran without the longer hold.
 */
export class CaptureMasking {
  readonly #port: CaptureMaskingPort;
  readonly #registry: CallRegistry;
  readonly #logger: Logger;
  /** Calls whose payment is capturing now (call id → payment id). */
  readonly #capturing = new Map<string, string>();

  constructor(options: { port: CaptureMaskingPort; registry: CallRegistry; logger: Logger }) {
    this.#port = options.port;
    this.#registry = options.registry;
    this.#logger = options.logger;
  }

  /** Feed it every payment update (PaymentService.onUpdate). */
  onUpdate({ view }: PaymentUpdate): void {
    const holder = this.#capturing.get(view.callId);
    if (FINISHED.has(view.status)) {
      if (holder !== view.id) return;
      this.#capturing.delete(view.callId);
      const call = this.#registry.byId(view.callId);
      // a call that has ended needs nothing: rtpengine deleted its media
      if (call) this.#run('leave', call);
      return;
    }
    if (holder !== undefined) return;
    const call = this.#registry.byId(view.callId);
    if (!call) return;
    this.#capturing.set(view.callId, view.id);
    this.#run('enter', call);
  }

  #run(step: 'enter' | 'leave', call: Call): void {
    this.#port[step](call).catch((error: unknown) => {
      this.#logger.error(
        { err: error, callId: call.id, step },
        step === 'enter'
          ? 'capture protection could not be raised: masking stays at its outside-capture setting'
          : 'capture protection could not be lowered: the call keeps the longer audio delay',
      );
    });
  }
}

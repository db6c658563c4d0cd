import type { Logger } from '../../logger.js';
import type { Call, CallChange, CallRegistry } from '../calls/call-registry.js';
import type { Timers } from '../clock.js';
import type { PaymentUpdate } from '../payments/payment-ports.js';

/**
 * What the media path does while a payment captures card digits on a call (docs/media.md, "While a
 * payment captures"): the customer's audio toward the agent stops altogether, so that no part of a
 * key can reach the agent whatever the customer's phone sends. Masking (events dropped, tones
 * silenced) is on from answer either way, applied by Kamailio.
 */
export interface CaptureMaskingPort {
  /** The payment on `call` starts: stop the customer's audio toward the agent. */
  enter(call: Call): Promise<void>;
  /** The payment ended (or no payment of this run holds the call): let it through again. */
  leave(call: Call): Promise<void>;
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Follows every payment and tells the media path when capture starts and ends on a call; the steps of
 * one call run in order. The audio is let through `unmuteDelayMs` after the payment ends, not at once:
 * the last key's tone can still be on its way through the mask hop (its delay buffer, a burst after a
 * lost packet), and a payment started meanwhile keeps the mute. A call the gateway finds again after
 * a restart or a reconnect (resync) is let through: no capture of this run holds it, and a gateway that
 * stopped mid-capture left it muted. A failure is logged (with the call id, never digits): masking
 * stays on as Kamailio applied it.
 */
export class CaptureMasking {
  readonly #port: CaptureMaskingPort;
  readonly #registry: CallRegistry;
  readonly #logger: Logger;
  readonly #timers: Timers;
  readonly #unmuteDelayMs: number;
  /** Calls whose payment ended and whose audio is let through soon (call id → the timer). */
  readonly #pendingLeave = new Map<string, { call: Call; timer: { cancel(): void } }>();
  /** Calls whose payment is capturing now (call id → payment id). */
  readonly #capturing = new Map<string, string>();
  /** The last step sent for each call, so that the next waits for it (call id → its promise). */
  readonly #steps = new Map<string, Promise<void>>();

  constructor(options: {
    port: CaptureMaskingPort;
    registry: CallRegistry;
    logger: Logger;
    timers: Timers;
    /** How long after a payment ends its call's audio is let through again, ms. */
    unmuteDelayMs: number;
  }) {
    this.#port = options.port;
    this.#registry = options.registry;
    this.#logger = options.logger;
    this.#timers = options.timers;
    this.#unmuteDelayMs = options.unmuteDelayMs;
    options.registry.onChange((change) => this.#onCallChange(change));
  }

  /** Feed it every payment update (PaymentService.onUpdate). */
  onUpdate({ view }: PaymentUpdate): void {
    const holder = this.#capturing.get(view.callId);
    if (FINISHED.has(view.status)) {
      if (holder !== view.id) return;
      this.#capturing.delete(view.callId);
      const call = this.#registry.byId(view.callId);
      // a call that has ended needs nothing: rtpengine deleted its media
      if (call) this.#leaveLater(call);
      return;
    }
    if (holder !== undefined) return;
    const call = this.#registry.byId(view.callId);
    if (!call) return;
    this.#capturing.set(view.callId, view.id);
    const pending = this.#pendingLeave.get(call.id);
    if (pending) {
      // still muted from the payment before: it stays so
      pending.timer.cancel();
      this.#pendingLeave.delete(call.id);
      return;
    }
    this.#run('enter', call);
  }

  /** Lets every call waiting for its delay through now, and resolves once every step has run (a clean stop). */
  async settled(): Promise<void> {
    for (const [id, { call, timer }] of this.#pendingLeave) {
      timer.cancel();
      this.#pendingLeave.delete(id);
      this.#run('leave', call);
    }
    await Promise.all(this.#steps.values());
  }

  #leaveLater(call: Call): void {
    const timer = this.#timers.set(this.#unmuteDelayMs, () => {
      if (this.#pendingLeave.get(call.id)?.timer !== timer) return;
      this.#pendingLeave.delete(call.id);
      this.#run('leave', call);
    });
    this.#pendingLeave.get(call.id)?.timer.cancel();
    this.#pendingLeave.set(call.id, { call, timer });
  }

  #onCallChange(change: CallChange): void {
    if (change.type === 'removed') {
      this.#capturing.delete(change.call.id);
      this.#pendingLeave.get(change.call.id)?.timer.cancel();
      this.#pendingLeave.delete(change.call.id);
      return;
    }
    if (change.via === 'resync' && !this.#capturing.has(change.call.id)) this.#run('leave', change.call);
  }

  #run(step: 'enter' | 'leave', call: Call): void {
    const previous = this.#steps.get(call.id) ?? Promise.resolve();
    const next = previous.then(() =>
      this.#port[step](call).catch((error: unknown) => {
        this.#logger.error(
          { err: error, callId: call.id, step },
          step === 'enter'
            ? "the customer's audio could not be muted for the payment: masking stays as applied at answer"
            : "the customer's audio could not be let through again after the payment",
        );
      }),
    );
    this.#steps.set(call.id, next);
    void next.then(() => {
      if (this.#steps.get(call.id) === next) this.#steps.delete(call.id);
    });
  }
}

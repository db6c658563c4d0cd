import type { Logger } from '../../logger.js';
import type { PaymentUpdate } from './payment-ports.js';

type Listener = (update: PaymentUpdate) => void;

/**
 * Who hears of payment updates: subscribers of one payment (SSE streams) and of all (webhooks,
 * metrics, audit). One broken listener never stops the others or the payment.
 */
export class PaymentListeners {
  readonly #byPayment = new Map<string, Set<Listener>>();
  readonly #everyPayment = new Set<Listener>();

  /** Follows one payment; returns an unsubscribe. */
  subscribe(paymentId: string, listener: Listener): () => void {
    let set = this.#byPayment.get(paymentId);
    if (!set) {
      set = new Set();
      this.#byPayment.set(paymentId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#byPayment.get(paymentId) === set) this.#byPayment.delete(paymentId);
    };
  }

  /** Follows every payment; returns an unsubscribe. */
  onUpdate(listener: Listener): () => void {
    this.#everyPayment.add(listener);
    return () => this.#everyPayment.delete(listener);
  }

  /** Gives the update to the payment's subscribers, then to everyone's; a throw is logged, not passed on. */
  publish(paymentId: string, update: PaymentUpdate, logger: Logger): void {
    for (const listener of [...(this.#byPayment.get(paymentId) ?? []), ...this.#everyPayment]) {
      try {
        listener(update);
      } catch (error) {
        // one broken subscriber (a closed SSE stream, a webhook queue) must not stop the payment
        logger.error({ err: error }, 'payment update listener failed');
      }
    }
  }

  /** Drops the subscribers of a payment that is no longer kept. */
  forget(paymentId: string): void {
    this.#byPayment.delete(paymentId);
  }
}

import type { ReconciledOutcome } from '../../domain/capture/capture-events.js';
import type { Clock } from '../clock.js';
import {
  type PaymentStatusRecord,
  type PaymentStatusStore,
  type RecordedPaymentView,
  reconcileStored,
  recordedView,
} from './payment-status-store.js';

type Listener = (record: PaymentStatusRecord) => void;

/**
 * Payments of an earlier run, known from the status store only (no card data): their view, their
 * agent, and the one change that still reaches them after a restart — reconciliation settling an
 * `unknown` charge. Whoever follows those changes (the status callbacks) hears of each, as the
 * followers of a live payment hear of its updates. (The payments the store ended at start are
 * announced by the composition, which gets them from the store's open.)
 */
export class EarlierRunPayments {
  readonly #store: PaymentStatusStore;
  readonly #clock: Clock;
  readonly #listeners = new Set<Listener>();

  constructor(store: PaymentStatusStore, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  has(paymentId: string): boolean {
    return this.#store.get(paymentId) !== undefined;
  }

  view(paymentId: string): RecordedPaymentView | undefined {
    const record = this.#store.get(paymentId);
    return record && recordedView(record);
  }

  agentOf(paymentId: string): string | undefined {
    return this.#store.get(paymentId)?.agent;
  }

  /** Settles an `unknown` payment; false when it is not (or no longer) unknown. */
  reconcile(paymentId: string, result: ReconciledOutcome): boolean {
    const at = new Date(this.#clock.now()).toISOString();
    const record = reconcileStored(this.#store, paymentId, result, at);
    if (record) for (const listener of this.#listeners) listener(record);
    return record !== undefined;
  }

  /** Follows every change of an earlier run's payment; returns an unsubscribe. */
  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

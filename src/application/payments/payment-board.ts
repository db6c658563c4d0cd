import type { AgentView } from '../../domain/capture/agent-view.js';
import type { CaptureField, Outcome, PaymentStatus } from '../../domain/capture/capture-types.js';
import { isTerminalStatus } from '../../domain/capture/capture-types.js';
import type { Call } from '../calls/call-registry.js';
import type { Clock } from '../clock.js';
import type { PaymentUpdate } from './payment-ports.js';
import { RetentionQueue } from './retention-queue.js';

/** A payment's status only: what a supervisor may see. No digit counts, no masks, no card details. */
export interface PaymentStatusEntry {
  readonly id: string;
  readonly callId: string;
  readonly agent: string;
  readonly status: PaymentStatus;
  readonly capture: CaptureField | null;
  readonly outcome?: Outcome;
  readonly startedAt: string;
  readonly updatedAt: string;
}

/** What the board reads from the payment service. */
export interface PaymentFeed {
  onUpdate(listener: (update: PaymentUpdate) => void): () => void;
  /** Throws when the payment is unknown. */
  callOf(paymentId: string): Pick<Call, 'agent'>;
}

export interface PaymentBoardOptions {
  payments: PaymentFeed;
  clock: Clock;
  /** How long a finished payment stays listed (a supervisor sees how recent payments ended). */
  retainFinishedMs?: number;
  /** How many payments are listed at most; the oldest finished go first. */
  max?: number;
}

/**
 * The list behind `GET /v1/payments`, kept from the payment service's state changes (an update that
 * only adds a digit is not one). Finished payments stay listed for `retainFinishedMs`, while the list
 * holds at most `max`; forgetting them costs O(1) per payment forgotten, never a walk of the list.
 */
export class PaymentBoard {
  readonly #entries = new Map<string, PaymentStatusEntry>();
  readonly #finished = new RetentionQueue<string>();
  readonly #payments: PaymentFeed;
  readonly #clock: Clock;
  readonly #retainFinishedMs: number;
  readonly #max: number;

  constructor(options: PaymentBoardOptions) {
    this.#payments = options.payments;
    this.#clock = options.clock;
    this.#retainFinishedMs = options.retainFinishedMs ?? 3_600_000;
    this.#max = options.max ?? 5_000;
    // a digit keyed changes nothing a supervisor sees (status, field, outcome): not even updatedAt
    options.payments.onUpdate((update) => {
      if (!update.progress) this.#record(update.view);
    });
  }

  /** Payments not finished yet: capturing, processing, or of unknown outcome. */
  get inProgress(): number {
    return this.#entries.size - this.#finished.size;
  }

  /** Called when a payment is created, so it is listed even before its first update. */
  track(view: AgentView, call: Pick<Call, 'agent'>): void {
    this.#record(view, call.agent);
  }

  /** Newest first. */
  list(filter: { active: boolean; agent?: string }): PaymentStatusEntry[] {
    this.#prune();
    return [...this.#entries.values()]
      .filter((entry) => !filter.active || !isTerminalStatus(entry.status))
      .filter((entry) => filter.agent === undefined || entry.agent === filter.agent)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  #record(view: AgentView, agent?: string): void {
    const known = this.#entries.get(view.id);
    const owner = agent ?? known?.agent ?? this.#agentOf(view.id);
    if (owner === undefined) return;
    const now = this.#clock.now();
    const at = new Date(now).toISOString();
    this.#entries.set(view.id, {
      id: view.id,
      callId: view.callId,
      agent: owner,
      status: view.status,
      capture: view.capture,
      ...(view.result ? { outcome: view.result.outcome } : {}),
      startedAt: known?.startedAt ?? at,
      updatedAt: at,
    });
    if (isTerminalStatus(view.status)) {
      this.#finished.add(view.id, now);
      this.#prune();
    }
  }

  #agentOf(paymentId: string): string | undefined {
    try {
      return this.#payments.callOf(paymentId).agent;
    } catch {
      return undefined;
    }
  }

  /** Forgets finished payments past their time, then the oldest finished while the list is too long. */
  #prune(): void {
    const active = this.#entries.size - this.#finished.size;
    const evicted = this.#finished.evict({
      before: this.#clock.now() - this.#retainFinishedMs,
      max: this.#max - active,
    });
    for (const id of evicted) this.#entries.delete(id);
  }
}

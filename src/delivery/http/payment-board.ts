import type { Call } from '../../application/calls/call-registry.js';
import type { PaymentService } from '../../application/payments/payment-service.js';
import type { AgentView } from '../../domain/capture/agent-view.js';
import type { CaptureField, Outcome, PaymentStatus } from '../../domain/capture/capture-types.js';
import { isTerminalStatus } from '../../domain/capture/capture-types.js';

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

/**
 * The list behind `GET /v1/payments`, kept from the payment service's state changes (an update that
 * only adds a digit is not one). Finished payments
 * stay listed for `retainFinishedMs` (a supervisor sees how recent payments ended), at most `max`.
 */
export class PaymentBoard {
  readonly #entries = new Map<string, PaymentStatusEntry>();
  readonly #payments: PaymentService;
  readonly #now: () => number;
  readonly #retainFinishedMs: number;
  readonly #max: number;

  constructor(options: {
    payments: PaymentService;
    now?: () => number;
    retainFinishedMs?: number;
    max?: number;
  }) {
    this.#payments = options.payments;
    this.#now = options.now ?? Date.now;
    this.#retainFinishedMs = options.retainFinishedMs ?? 3_600_000;
    this.#max = options.max ?? 5_000;
    // a digit keyed changes nothing a supervisor sees (status, field, outcome): not even updatedAt
    options.payments.onUpdate((update) => {
      if (!update.progress) this.#record(update.view);
    });
  }

  /** Called when a payment is created, so it is listed even before its first update. */
  track(view: AgentView, call: Pick<Call, 'agent'>): void {
    this.#record(view, call.agent);
  }

  list(filter: { active: boolean; agent?: string }): PaymentStatusEntry[] {
    this.#prune();
    return [...this.#entries.values()]
      .filter((entry) => !filter.active || !isTerminalStatus(entry.status))
      .filter((entry) => filter.agent === undefined || entry.agent === filter.agent)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  #record(view: AgentView, agent?: string): void {
    const known = this.#entries.get(view.id);
    const now = new Date(this.#now()).toISOString();
    const owner = agent ?? known?.agent ?? this.#agentOf(view.id);
    if (owner === undefined) return;
    this.#entries.set(view.id, {
      id: view.id,
      callId: view.callId,
      agent: owner,
      status: view.status,
      capture: view.capture,
      ...(view.result ? { outcome: view.result.outcome } : {}),
      startedAt: known?.startedAt ?? now,
      updatedAt: now,
    });
    // pruning walks every entry: once per finished payment, not on every key press
    if (isTerminalStatus(view.status)) this.#prune();
  }

  #agentOf(paymentId: string): string | undefined {
    try {
      return this.#payments.callOf(paymentId).agent;
    } catch {
      return undefined;
    }
  }

  #prune(): void {
    const oldest = this.#now() - this.#retainFinishedMs;
    for (const [id, entry] of this.#entries) {
      const finished = isTerminalStatus(entry.status);
      if (
        (finished && Date.parse(entry.updatedAt) < oldest) ||
        (finished && this.#entries.size > this.#max)
      ) {
        this.#entries.delete(id);
      }
    }
  }
}

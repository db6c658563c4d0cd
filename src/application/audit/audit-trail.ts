import {
  type AuditAction,
  type AuthEvent,
  actionEntry,
  authEntry,
  callAgentEntry,
  callAnsweredEntry,
  callEndedEntry,
  paymentEntry,
} from '../../domain/audit/audit-entries.js';
import type { AuditEntry } from '../../domain/audit/audit-record.js';
import type { AgentView } from '../../domain/capture/agent-view.js';
import { isTerminalStatus } from '../../domain/capture/capture-types.js';
import type { GatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { CallChange } from '../calls/call-registry.js';
import type { PaymentUpdate } from '../payments/payment-ports.js';

/**
 * Where records go: the file store on its thread (AuditStoreThread), the file store itself
 * (AuditFileStore, in tests), or a fake. `append` resolves once the record is on disk
 * (with what, the trail does not use).
 */
export interface AuditLog {
  append(entry: AuditEntry): Promise<unknown>;
  durable(): Promise<void>;
  close(): Promise<void>;
  readonly failure: GatewayError | undefined;
}

/** What the trail follows: the call registry and the payment service (their subscribe methods). */
export interface AuditSources {
  readonly registry: { onChange(listener: (change: CallChange) => void): () => void };
  readonly payments: { onUpdate(listener: (update: PaymentUpdate) => void): () => void };
}

export interface AuditTrailOptions {
  readonly log: AuditLog;
  readonly logger: Logger;
}

/**
 * Turns every call change and every payment state change into an audit record (an update that only
 * adds a digit to the field being keyed is not one: `PaymentUpdate.progress`). Listeners are
 * synchronous, so the entry is handed to the log at once, in event order and stamped with the time;
 * the log's thread signs and chains it in that order, its bytes reach the disk by group commit, and
 * `durable()` resolves once they have (an API handler that acknowledges an action awaits it). A failed
 * write, or the log's thread dying, is logged once by code, and `healthy` turns false for good: the
 * gateway should stop taking payments (fail-closed), and a restart continues the chain from what the
 * disk holds.
 */
export class AuditTrail {
  readonly #log: AuditLog;
  readonly #logger: Logger;
  /** The agent of each payment still running (a payment outlives its call by its last update). */
  readonly #agentOfPayment = new Map<string, string>();
  readonly #agentOfCall = new Map<string, string>();
  readonly #unsubscribe: Array<() => void> = [];
  #reported = false;

  constructor(options: AuditTrailOptions) {
    this.#log = options.log;
    this.#logger = options.logger;
  }

  /** Records every call change and payment update from now on. Returns an unsubscribe. */
  follow(sources: AuditSources): () => void {
    const off = [
      sources.registry.onChange((change) => this.#onCallChange(change)),
      sources.payments.onUpdate((update) => this.#onPaymentUpdate(update)),
    ];
    this.#unsubscribe.push(...off);
    return () => {
      for (const unsubscribe of off) unsubscribe();
    };
  }

  /** Records what a principal did through the API; resolves once the record is on disk. */
  async recordAction(action: AuditAction): Promise<void> {
    await this.#write(actionEntry(action));
  }

  /** Records an authentication or authorisation event; resolves once the record is on disk. */
  async recordAuth(event: AuthEvent): Promise<void> {
    await this.#write(authEntry(event));
  }

  /** Resolves once every record so far is on disk; rejects with GW_ERR_AUDIT_WRITE if the log failed. */
  durable(): Promise<void> {
    return this.#log.durable();
  }

  /** False once a record could not be written. */
  get healthy(): boolean {
    return this.#log.failure === undefined;
  }

  /** Stops following, writes `log.closed` and closes the file. Call after the last payment update. */
  async close(): Promise<void> {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    await this.#log.close();
  }

  #onCallChange(change: CallChange): void {
    if (change.type === 'added') {
      this.#agentOfCall.set(change.call.id, change.call.agent);
      void this.#write(callAnsweredEntry(change.call)).catch(() => undefined);
    } else if (change.type === 'agent') {
      this.#agentOfCall.set(change.call.id, change.call.agent);
      void this.#write(callAgentEntry(change.call, change.previous, change.via)).catch(() => undefined);
    } else {
      this.#agentOfCall.delete(change.call.id);
      void this.#write(callEndedEntry(change.call, change.reason)).catch(() => undefined);
    }
  }

  #onPaymentUpdate(update: PaymentUpdate): void {
    const view: AgentView = update.view;
    let agent = this.#agentOfPayment.get(view.id);
    if (agent === undefined) {
      agent = this.#agentOfCall.get(view.callId);
      if (agent !== undefined) this.#agentOfPayment.set(view.id, agent);
    }
    if (update.progress) return;
    if (isTerminalStatus(view.status)) this.#agentOfPayment.delete(view.id);
    void this.#write(paymentEntry(view, update.sequence, agent)).catch(() => undefined);
  }

  async #write(entry: AuditEntry): Promise<void> {
    try {
      await this.#log.append(entry);
    } catch (error) {
      this.#stopped(error, entry.type);
      throw error;
    }
  }

  /** The log failed with no record waiting on it (its thread died between records): logged too. */
  logFailed(error: unknown): void {
    this.#stopped(error);
  }

  /**
   * Logs, once, that records can no longer be written; a record refused on its own (too large) while
   * the log goes on is logged each time and does not use up that one line.
   */
  #stopped(error: unknown, type?: AuditEntry['type']): void {
    if (this.#log.failure === undefined) {
      this.#logger.error({ err: error, type }, 'audit record refused; the audit log goes on');
      return;
    }
    if (this.#reported) return;
    this.#reported = true;
    this.#logger.error({ err: error, type }, 'audit record not written; audit log stopped');
  }
}

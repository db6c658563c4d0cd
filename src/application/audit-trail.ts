import { AuditFileStore } from '../adapters/audit/audit-file-store.js';
import type { AuditSettings } from '../adapters/audit/audit-settings.js';
import { AuditSigner } from '../adapters/audit/audit-signer.js';
import type { AgentView } from '../domain/agent-view.js';
import {
  type AuditAction,
  actionEntry,
  callAnsweredEntry,
  callEndedEntry,
  paymentEntry,
} from '../domain/audit-entries.js';
import type { AuditEntry, AuditRecord } from '../domain/audit-record.js';
import { isTerminalStatus } from '../domain/capture-types.js';
import type { GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CallChange } from './call-registry.js';
import type { PaymentUpdate } from './payments/payment-ports.js';

/** Where records go: the file store, or a fake in tests. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<AuditRecord>;
  rotateKey(signer: AuditSigner): Promise<AuditRecord>;
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
 * adds a digit to the field being keyed is not one: `PaymentUpdate.progress`). Listeners are synchronous, so the
 * record is signed and chained at once, in event order; its bytes reach the disk by group commit, and
 * `durable()` resolves once they have (an API handler that acknowledges an action awaits it). A failed
 * write is logged once by code, and `healthy` turns false for good: the gateway should stop taking
 * payments (fail-closed), and a restart continues the chain from what the disk holds.
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

  /** Opens the file log of `settings` (continuing its chain) with the key file it names. */
  static async open(options: {
    readonly settings: AuditSettings;
    readonly clock: { now(): number };
    readonly logger: Logger;
  }): Promise<AuditTrail> {
    const signer = await AuditSigner.fromFile(options.settings.signingKeyFile);
    const log = await AuditFileStore.open({
      directory: options.settings.directory,
      signer,
      maxFileBytes: options.settings.maxFileBytes,
      clock: options.clock,
    });
    options.logger.info({ kid: signer.kid, head: log.head?.seq }, 'audit log open');
    return new AuditTrail({ log, logger: options.logger });
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

  /**
   * Continues the chain under the Ed25519 key in `signingKeyFile` (a `key.rotated` record, then every
   * record signed by it). Keep the old public key for the auditor; the old private key may go.
   */
  async rotateKey(signingKeyFile: string): Promise<void> {
    const signer = await AuditSigner.fromFile(signingKeyFile);
    await this.#log.rotateKey(signer);
    this.#logger.info({ kid: signer.kid }, 'audit signing key rotated');
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
      if (!this.#reported) {
        this.#reported = true;
        this.#logger.error({ err: error, type: entry.type }, 'audit record not written; audit log stopped');
      }
      throw error;
    }
  }
}

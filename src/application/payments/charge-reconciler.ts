import type { AuditAction } from '../../domain/audit/audit-entries.js';
import type { ReconciledOutcome } from '../../domain/capture/capture-events.js';
import type { Logger } from '../../logger.js';
import type { Clock, Timers } from '../clock.js';
import type { ChargeInDoubt, ChargeLedger } from './charge-ledger.js';
import type { LookupResult, ProcessorConnector } from './processor-connector.js';

export interface ChargeReconcilerOptions {
  readonly charges: ChargeLedger;
  readonly connector: Pick<ProcessorConnector, 'name' | 'lookup'>;
  /** Moves the payment out of `unknown` (PaymentService.reconcile). */
  readonly payments: { reconcile(paymentId: string, result: ReconciledOutcome): boolean };
  /** Resolves once every status saved so far is durable: the ledger row goes only after. */
  readonly durable: () => Promise<void>;
  /** An audit record of each settlement. */
  readonly record: (action: AuditAction) => Promise<void>;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  /** Time between rounds. */
  readonly intervalMs: number;
  /**
   * How long after sending a processor's "no request under this key" means "not charged": before,
   * the request may still be on its way (a retry in flight, a slow network).
   */
  readonly nothingAfterMs: number;
}

const SETTLED_ACTIONS: Record<ReconciledOutcome['outcome'], string> = {
  success: 'payment.reconciled.charged',
  declined: 'payment.reconciled.declined',
  'not-charged': 'payment.reconciled.not-charged',
};

/**
 * Settles charges of unknown outcome by asking the processor what it did under each one's key, at
 * start and then every `intervalMs`: a result settles the payment (succeeded, or failed as declined),
 * "nothing" settles it as not charged once `nothingAfterMs` have passed since it was sent, "pending"
 * and any error leave it for the next round. Never sends card data and never charges.
 */
export class ChargeReconciler {
  readonly #options: ChargeReconcilerOptions;
  #timer: { cancel(): void } | undefined;
  #round: Promise<void> | undefined;
  #stopped = false;

  constructor(options: ChargeReconcilerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#schedule(0);
  }

  /** Stops the rounds; resolves once a round under way has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    await this.#round;
  }

  /** One round over every charge in doubt that no run of this process is waiting for. */
  async reconcileNow(): Promise<void> {
    for (const charge of this.#options.charges.inDoubt()) {
      if (this.#stopped) return;
      if (charge.state === 'unknown') await this.#settle(charge);
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = this.#options.timers.set(delayMs, () => {
      this.#round = this.reconcileNow()
        .catch((error: unknown) => this.#options.logger.error({ err: error }, 'reconciliation round failed'))
        .finally(() => this.#schedule(this.#options.intervalMs));
    });
  }

  async #settle(charge: ChargeInDoubt): Promise<void> {
    const { connector, logger } = this.#options;
    const context = { paymentId: charge.paymentId, callId: charge.callId, processor: connector.name };
    if (!connector.lookup) return;
    let found: LookupResult;
    try {
      found = await connector.lookup({ paymentId: charge.paymentId, idempotencyKey: charge.processorKey });
    } catch (error) {
      logger.warn({ ...context, err: error }, 'charge of unknown outcome: the processor could not say yet');
      return;
    }
    const result = this.#outcomeOf(found, charge);
    if (result === undefined) {
      logger.info({ ...context, found: found.found }, 'charge of unknown outcome: still open');
      return;
    }
    const moved = this.#options.payments.reconcile(charge.paymentId, result);
    await this.#options.durable();
    this.#options.charges.settled(charge.paymentId);
    logger.warn({ ...context, outcome: result.outcome, moved }, 'charge of unknown outcome reconciled');
    await this.#options.record({
      principal: 'system:reconciler',
      action: SETTLED_ACTIONS[result.outcome],
      outcome: 'allowed',
      callId: charge.callId,
      paymentId: charge.paymentId,
    });
  }

  #outcomeOf(found: LookupResult, charge: ChargeInDoubt): ReconciledOutcome | undefined {
    switch (found.found) {
      case 'pending':
        return undefined;
      case 'nothing':
        return this.#options.clock.now() - charge.sentAt >= this.#options.nothingAfterMs
          ? { outcome: 'not-charged' }
          : undefined;
      case 'result': {
        const { result } = found;
        if (result.outcome === 'declined') {
          return { outcome: 'declined', declineCode: result.declineCode, reason: result.reason };
        }
        return {
          outcome: 'success',
          token: result.token,
          confirmationCode: result.confirmationCode ?? result.token,
        };
      }
    }
  }
}

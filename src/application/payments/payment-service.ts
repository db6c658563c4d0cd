import { randomBytes } from 'node:crypto';
import type { AgentView } from '../../domain/capture/agent-view.js';
import type { CaptureEvent, ReconciledOutcome } from '../../domain/capture/capture-events.js';
import { startCapture } from '../../domain/capture/capture-machine.js';
import type { CaptureField } from '../../domain/capture/capture-types.js';
import type { KeypadKey } from '../../domain/capture/keypad.js';
import { idWithoutPanLikeRun } from '../../domain/resource-id.js';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Call, CallChange, CallRegistry } from '../calls/call-registry.js';
import type { Clock, Timers } from '../clock.js';
import type { CustomerKeySink } from '../media/dtmf-router.js';
import type { ChargeLedger } from './charge-ledger.js';
import { EarlierRunPayments } from './earlier-run-payments.js';
import { claimOf, heldBefore, IdempotencyKeys } from './idempotency-keys.js';
import type { IdempotencyLedger } from './idempotency-ledger.js';
import {
  type AdmissionRefusal,
  admitPayment,
  REJECTION_MESSAGES,
  refuseWhenStopping,
} from './payment-admission.js';
import { PaymentBoard } from './payment-board.js';
import { PaymentListeners } from './payment-listeners.js';
import type { PaymentUpdate, PromptPlayer } from './payment-ports.js';
import { captureSettingsOf, type PaymentRequest } from './payment-request.js';
import { PaymentSession, type SessionContext } from './payment-session.js';
import type { PaymentStatusRecord, PaymentStatusStore, RecordedPaymentView } from './payment-status-store.js';
import { TokenisationsInFlight } from './payment-tokenisation.js';
import type { ProcessorConnector } from './processor-connector.js';
import { RetentionQueue } from './retention-queue.js';

export type { AdmissionRefusal } from './payment-admission.js';
export type { PaymentRequest } from './payment-request.js';

export interface PaymentServiceOptions {
  registry: CallRegistry;
  connector: ProcessorConnector;
  prompts: PromptPlayer;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  /** Why no new payment may start now (audit log unwritable, DTMF reports unreceivable); undefined: go. */
  admission?: () => AdmissionRefusal | undefined;
  /** Throws GW_ERR_OTHER_GATEWAY for a call whose media chain is another gateway's (chain-ownership.ts). */
  checkChain?: (call: Call) => void;
  /** Throws GW_ERR_INVALID_BODY for a statusCallback the gateway may not call (callback-url-policy.ts). */
  checkCallback?: (url: string) => void;
  /** How many finished payments stay readable (GET) before the oldest are forgotten. */
  retainFinished?: number;
  /** Keeps each payment's status (no card data) past a restart; GET falls back to it. */
  statusStore?: PaymentStatusStore;
  /** Keeps which payment each idempotency key started past a restart (idempotency-ledger.ts). */
  idempotencyLedger?: IdempotencyLedger;
  /** Records each charge before it is sent until its answer is known (charge-ledger.ts). */
  charges?: ChargeLedger;
}

/**
 * Payment sessions on live calls, behind one facade: admits and starts payments (idempotently), routes
 * customer keys, hang-ups and agent actions to each payment's session (payment-session.ts), lets
 * clients follow the updates, and forgets the oldest finished payments. Customer keys arrive through
 * the DTMF router; hang-ups through the call registry. Card digits stay inside the capture state.
 */
export class PaymentService implements CustomerKeySink {
  /** The supervisors' list of payments (status only), kept from this service's updates. */
  readonly board: PaymentBoard;
  readonly #options: PaymentServiceOptions;
  readonly #context: SessionContext;
  readonly #payments = new Map<string, PaymentSession>();
  readonly #activeByCall = new Map<string, PaymentSession>();
  readonly #idempotency = new IdempotencyKeys<PaymentSession>();
  readonly #listeners = new PaymentListeners();
  readonly #finished = new RetentionQueue<string>();
  readonly #tokenisations = new TokenisationsInFlight();
  readonly #earlier: EarlierRunPayments | undefined;
  #stopping = false;

  constructor(options: PaymentServiceOptions) {
    this.#options = options;
    this.#context = {
      clock: options.clock,
      timers: options.timers,
      prompts: options.prompts,
      connector: options.connector,
      statusStore: options.statusStore,
      listeners: this.#listeners,
      tokenisations: this.#tokenisations,
      charges: options.charges,
      finished: (payment) => this.#onFinished(payment),
    };
    this.#earlier = options.statusStore && new EarlierRunPayments(options.statusStore, options.clock);
    this.board = new PaymentBoard({ payments: this, clock: options.clock });
    options.registry.onChange((change) => this.#onCallChange(change));
  }

  /** Starts a payment on a call, or returns the one an earlier request with the same key started. */
  create(
    callId: string,
    request: PaymentRequest,
  ): { view: AgentView; created: true } | { view: AgentView | RecordedPaymentView; created: false } {
    const claim = claimOf(callId, request);
    const replay = this.#idempotency.replay(claim);
    if (replay) return { view: replay.view(), created: false };
    const earlier = this.#options.idempotencyLedger && heldBefore(this.#options.idempotencyLedger, claim);
    if (earlier) return { view: this.get(earlier), created: false };
    const call = admitPayment({
      stopping: this.#stopping,
      refusal: this.#options.admission,
      call: this.#options.registry.byId(callId),
      checkChain: this.#options.checkChain,
      request,
      checkCallback: this.#options.checkCallback,
      hasActivePayment: (id) => this.#activeByCall.has(id),
      chargeInDoubt: (id) => this.#options.charges?.inDoubtOnCall(id) ?? false,
    });
    const id = `PK${idWithoutPanLikeRun(() => randomBytes(16).toString('hex'))}`;
    const started = startCapture({
      id,
      callId: call.id,
      settings: captureSettingsOf(request, this.#options.prompts),
      now: this.#options.clock.now(),
    });
    const logger = this.#options.logger.child({ callId: call.id, paymentId: id });
    const payment = new PaymentSession(
      { id, call, request, claim, logger, state: started.state },
      this.#context,
    );
    // durable before the payment exists: a retry after a crash finds it, never a second charge
    this.#options.idempotencyLedger?.hold(claim.keyHash, {
      paymentId: id,
      callId: call.id,
      fingerprint: claim.fingerprint,
      at: this.#options.clock.now(),
    });
    this.#payments.set(id, payment);
    this.#activeByCall.set(call.id, payment);
    this.#idempotency.hold(claim, payment);
    logger.info(
      { captureMode: started.state.settings.captureMode, charge: request.chargeAmount !== undefined },
      'payment started',
    );
    payment.apply(started);
    return { view: payment.view(), created: true };
  }

  /** The call of the payment an earlier create with this key started, if any (for replays after hang-up). */
  replayCall(callId: string, idempotencyKey: string): Pick<Call, 'agent'> | undefined {
    const call = this.#idempotency.find(callId, idempotencyKey)?.call;
    if (call) return call;
    const earlier = this.#options.idempotencyLedger?.find(claimOf(callId, { idempotencyKey }).keyHash);
    if (!earlier) return undefined;
    try {
      return this.callOf(earlier.paymentId);
    } catch {
      return undefined;
    }
  }

  /**
   * Reconciliation's answer for a payment whose charge was of unknown outcome. A payment of this run
   * moves to succeeded or failed (its followers see it); one of an earlier run has its stored status
   * changed. Returns false when the payment is not (or no longer) unknown.
   */
  reconcile(paymentId: string, result: ReconciledOutcome): boolean {
    const payment = this.#payments.get(paymentId);
    if (payment) {
      if (payment.state.status !== 'unknown') return false;
      payment.dispatch({ type: 'reconciled', result, now: this.#options.clock.now() });
      return true;
    }
    return this.#earlier?.reconcile(paymentId, result) ?? false;
  }

  /** The agent view; for a payment of an earlier run, its recorded status (no card data). */
  get(paymentId: string): AgentView | RecordedPaymentView {
    const payment = this.#payments.get(paymentId);
    const found = payment?.view() ?? this.#earlier?.view(paymentId);
    if (found) return found;
    throw new GatewayError('GW_ERR_NOT_FOUND', 'no such payment');
  }

  /** The call a payment belongs to (for authorisation checks by the API); only the agent for an earlier run's. */
  callOf(paymentId: string): Pick<Call, 'agent'> {
    const agent = this.#payments.get(paymentId)?.call.agent ?? this.#earlier?.agentOf(paymentId);
    if (agent !== undefined) return { agent };
    throw new GatewayError('GW_ERR_NOT_FOUND', 'no such payment');
  }

  /** Whether the payment belongs to this run (an earlier run's is known from the status store only). */
  isLive(paymentId: string): boolean {
    return this.#payments.has(paymentId);
  }

  /** The agent asks for a field (again). */
  captureField(paymentId: string, field: CaptureField): AgentView {
    refuseWhenStopping(this.#stopping);
    return this.#agentAction(paymentId, { type: 'capture', field, now: this.#options.clock.now() });
  }

  complete(paymentId: string): AgentView {
    refuseWhenStopping(this.#stopping);
    return this.#agentAction(paymentId, { type: 'complete', now: this.#options.clock.now() });
  }

  cancel(paymentId: string): AgentView {
    return this.#agentAction(paymentId, { type: 'cancel', now: this.#options.clock.now() });
  }

  /** Follows one payment; the listener gets every update after this call. Returns an unsubscribe. */
  subscribe(paymentId: string, listener: (update: PaymentUpdate) => void): () => void {
    this.#find(paymentId);
    return this.#listeners.subscribe(paymentId, listener);
  }

  /** Every update of every payment (webhooks, metrics, audit). */
  onUpdate(listener: (update: PaymentUpdate) => void): () => void {
    return this.#listeners.onUpdate(listener);
  }

  /** Every change reconciliation makes to an earlier run's payment (status callbacks). Returns an unsubscribe. */
  onEarlierRunChange(listener: (record: PaymentStatusRecord) => void): () => void {
    return this.#earlier?.onChange(listener) ?? (() => {});
  }

  /** The statusCallback of a payment, for the webhook sender. */
  callbackOf(paymentId: string): string | undefined {
    return this.#payments.get(paymentId)?.request.statusCallback;
  }

  onCustomerKey(call: Call, key: KeypadKey): void {
    const payment = this.#activeByCall.get(call.id);
    if (!payment || this.#stopping) return; // no payment: the key is masked from the agent and goes nowhere
    payment.dispatch({ type: 'key', key, now: this.#options.clock.now() });
  }

  get activeCount(): number {
    return this.#activeByCall.size;
  }

  /**
   * A clean stop: no new payment or agent action (GW_ERR_STOPPING), every payment still capturing ends
   * as internal-error with its digits zeroed, and the returned promise settles once every
   * tokenisation already in flight has its answer.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const payment of [...this.#activeByCall.values()]) {
      if (payment.state.status === 'in-progress') {
        payment.dispatch({ type: 'internal-error', now: this.#options.clock.now() });
      }
    }
    await this.#tokenisations.settled();
  }

  #find(paymentId: string): PaymentSession {
    const payment = this.#payments.get(paymentId);
    if (payment) return payment;
    if (this.#earlier?.has(paymentId)) {
      throw new GatewayError('GW_ERR_PAYMENT_STATE', REJECTION_MESSAGES['not-in-progress']);
    }
    throw new GatewayError('GW_ERR_NOT_FOUND', 'no such payment');
  }

  #agentAction(paymentId: string, event: CaptureEvent): AgentView {
    const payment = this.#find(paymentId);
    const result = payment.dispatch(event);
    if (result.rejected) {
      throw new GatewayError('GW_ERR_PAYMENT_STATE', REJECTION_MESSAGES[result.rejected]);
    }
    return payment.view();
  }

  /** A hang-up ends the call's payment; a transfer from one agent to another cancels it (docs/calls.md). */
  #onCallChange(change: CallChange): void {
    const moved = change.type === 'agent' && ![change.call.agent, ''].includes(change.previous.agent);
    if (change.type !== 'removed' && !moved) return;
    const now = this.#options.clock.now();
    this.#activeByCall
      .get(change.call.id)
      ?.dispatch(moved ? { type: 'cancel', now } : { type: 'hang-up', now });
  }

  /** A payment ended: the call is free for a new one, and the oldest finished payments are forgotten. */
  #onFinished(payment: PaymentSession): void {
    if (this.#activeByCall.get(payment.call.id) === payment) this.#activeByCall.delete(payment.call.id);
    // ordered by finish: O(1) per payment forgotten, no walk over every payment kept
    this.#finished.add(payment.id, this.#options.clock.now());
    for (const id of this.#finished.evict({ max: this.#options.retainFinished ?? 10_000 })) this.#forget(id);
  }

  #forget(paymentId: string): void {
    const payment = this.#payments.get(paymentId);
    if (!payment) return;
    this.#payments.delete(paymentId);
    this.#listeners.forget(paymentId);
    this.#idempotency.release(payment.claim, payment);
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { PanFinder } from '../../domain/audit/audit-pan-finder.js';
import { type AgentView, addsDigitsOnly, toAgentView } from '../../domain/capture/agent-view.js';
import type { CaptureCommand, CaptureRejection } from '../../domain/capture/capture-commands.js';
import type { CaptureEvent, ProcessorResult } from '../../domain/capture/capture-events.js';
import { type CaptureTransition, startCapture, transition } from '../../domain/capture/capture-machine.js';
import type { CaptureSettings } from '../../domain/capture/capture-settings.js';
import type { CaptureState } from '../../domain/capture/capture-state.js';
import type { CaptureField } from '../../domain/capture/capture-types.js';
import { isTerminalStatus } from '../../domain/capture/capture-types.js';
import type { KeypadKey } from '../../domain/capture/keypad.js';
import { revealCardForConnector } from '../../domain/card/reveal-card.js';
import { toMinorUnits } from '../../domain/payments/money.js';
import { idWithoutPanLikeRun } from '../../domain/resource-id.js';
import { GatewayError, isGatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Call, CallChange, CallRegistry } from '../calls/call-registry.js';
import type { CustomerKeySink } from '../media/dtmf-router.js';
import type { Clock, PaymentUpdate, PromptPlayer, Timers } from './payment-ports.js';
import {
  type PaymentStatusStore,
  type RecordedPaymentView,
  recordedView,
  toStatusRecord,
} from './payment-status-store.js';
import type { ProcessorConnector, TokenType } from './processor-connector.js';

/** What a client asks for when it starts a payment (POST /v1/calls/{callId}/payments). */
export interface PaymentRequest {
  readonly idempotencyKey: string;
  readonly chargeAmount?: string;
  readonly currency?: string;
  readonly description?: string;
  readonly tokenType: TokenType;
  readonly statusCallback?: string;
  readonly settings: CaptureSettings;
}

export type AdmissionRefusal = 'GW_ERR_AUDIT_WRITE' | 'GW_ERR_DTMF_SOCKET';

const ADMISSION_MESSAGES: Record<AdmissionRefusal, string> = {
  GW_ERR_AUDIT_WRITE: 'payments are paused: the audit log cannot be written',
  GW_ERR_DTMF_SOCKET: 'payments are paused: keypad digits can no longer be received',
};

interface Payment {
  readonly id: string;
  readonly call: Call;
  readonly request: PaymentRequest;
  readonly fingerprint: string;
  /** The idempotency key as stored: scoped to the call. */
  readonly scopedKey: string;
  readonly logger: Logger;
  state: CaptureState;
  sequence: number;
  /** The last update that was more than digits added (logged at info, saved to the status store). */
  lastChange: AgentView | undefined;
  timer: { cancel(): void } | undefined;
  endedAt: number | undefined;
  readonly startedAt: string;
}

export interface PaymentServiceOptions {
  registry: CallRegistry;
  connector: ProcessorConnector;
  prompts: PromptPlayer;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  /**
   * Says why no new payment may start now (the audit log cannot be written, or DTMF reports can no
   * longer be received); undefined: go.
   */
  admission?: () => AdmissionRefusal | undefined;
  /** Throws GW_ERR_INVALID_BODY for a statusCallback the gateway may not call (callback-url-policy.ts). */
  checkCallback?: (url: string) => void;
  /** How many finished payments stay readable (GET) before the oldest are forgotten. */
  retainFinished?: number;
  /** Keeps each payment's status (no card data) past a restart; GET falls back to it. */
  statusStore?: PaymentStatusStore;
}

const REJECTION_MESSAGES: Record<CaptureRejection, string> = {
  'not-in-progress': 'the payment is not in progress',
  'field-not-requested': 'the payment does not ask for that field',
  'fields-incomplete': 'not every requested field is captured yet',
};

/**
 * Payment sessions on live calls: runs the pure capture machine for each payment and carries out the
 * commands it returns (prompts, timers, tokenisation, notifications). Customer keys arrive through
 * the DTMF router; hang-ups through the call registry. Card digits stay inside the capture state.
 */
export class PaymentService implements CustomerKeySink {
  readonly #options: PaymentServiceOptions;
  readonly #payments = new Map<string, Payment>();
  readonly #activeByCall = new Map<string, Payment>();
  readonly #byIdempotencyKey = new Map<string, Payment>();
  readonly #listeners = new Map<string, Set<(update: PaymentUpdate) => void>>();
  readonly #globalListeners = new Set<(update: PaymentUpdate) => void>();
  readonly #tokenisations = new Set<Promise<void>>();
  #stopping = false;

  constructor(options: PaymentServiceOptions) {
    this.#options = options;
    options.registry.onChange((change) => this.#onCallChange(change));
  }

  /** Starts a payment on a call, or returns the one an earlier request with the same key started. */
  create(callId: string, request: PaymentRequest): { view: AgentView; created: boolean } {
    const call = this.#options.registry.byId(callId);
    const scopedKey = `${callId}\u0000${request.idempotencyKey}`;
    const fingerprint = fingerprintOf(request);
    const replay = this.#byIdempotencyKey.get(scopedKey);
    if (replay) {
      if (replay.fingerprint !== fingerprint) {
        throw new GatewayError(
          'GW_ERR_IDEMPOTENCY_CONFLICT',
          '"idempotencyKey" was used with a different request',
        );
      }
      return { view: toAgentView(replay.state), created: false };
    }
    this.#refuseWhenStopping();
    const refusal = this.#options.admission?.();
    if (refusal) throw new GatewayError(refusal, ADMISSION_MESSAGES[refusal]);
    if (!call) throw new GatewayError('GW_ERR_NOT_FOUND', 'no such active call');
    if (call.masking !== 'on') {
      throw new GatewayError('GW_ERR_MASKING_OFF', "the call's keypad tones are not masked from the agent");
    }
    checkRequest(request);
    if (request.statusCallback !== undefined) this.#options.checkCallback?.(request.statusCallback);
    if (this.#activeByCall.has(call.id)) {
      throw new GatewayError('GW_ERR_PAYMENT_ACTIVE', 'the call already has a payment in progress');
    }
    const id = `PK${idWithoutPanLikeRun(() => randomBytes(16).toString('hex'))}`;
    const started = startCapture({
      id,
      callId: call.id,
      settings: request.settings,
      now: this.#options.clock.now(),
    });
    const payment: Payment = {
      id,
      call,
      request,
      fingerprint,
      scopedKey,
      logger: this.#options.logger.child({ callId: call.id, paymentId: id }),
      state: started.state,
      sequence: 0,
      lastChange: undefined,
      timer: undefined,
      endedAt: undefined,
      startedAt: new Date(this.#options.clock.now()).toISOString(),
    };
    this.#payments.set(id, payment);
    this.#activeByCall.set(call.id, payment);
    this.#byIdempotencyKey.set(scopedKey, payment);
    payment.logger.info(
      { captureMode: payment.state.settings.captureMode, charge: request.chargeAmount !== undefined },
      'payment started',
    );
    this.#apply(payment, started);
    return { view: toAgentView(payment.state), created: true };
  }

  /** The call of the payment an earlier create with this key started, if any (for replays after hang-up). */
  replayCall(callId: string, idempotencyKey: string): Call | undefined {
    return this.#byIdempotencyKey.get(`${callId}\u0000${idempotencyKey}`)?.call;
  }

  /** The agent view; for a payment of an earlier run, its recorded status (no card data). */
  get(paymentId: string): AgentView | RecordedPaymentView {
    const payment = this.#payments.get(paymentId);
    if (payment) return toAgentView(payment.state);
    const record = this.#options.statusStore?.get(paymentId);
    if (record) return recordedView(record);
    throw new GatewayError('GW_ERR_NOT_FOUND', 'no such payment');
  }

  /** The call a payment belongs to (for authorisation checks by the API); only the agent for an earlier run's. */
  callOf(paymentId: string): Pick<Call, 'agent'> {
    const payment = this.#payments.get(paymentId);
    if (payment) return payment.call;
    const record = this.#options.statusStore?.get(paymentId);
    if (record) return { agent: record.agent };
    throw new GatewayError('GW_ERR_NOT_FOUND', 'no such payment');
  }

  /** The agent asks for a field (again). */
  captureField(paymentId: string, field: CaptureField): AgentView {
    this.#refuseWhenStopping();
    return this.#agentAction(paymentId, { type: 'capture', field, now: this.#options.clock.now() });
  }

  complete(paymentId: string): AgentView {
    this.#refuseWhenStopping();
    return this.#agentAction(paymentId, { type: 'complete', now: this.#options.clock.now() });
  }

  cancel(paymentId: string): AgentView {
    return this.#agentAction(paymentId, { type: 'cancel', now: this.#options.clock.now() });
  }

  /** Follows one payment; the listener gets every update after this call. Returns an unsubscribe. */
  subscribe(paymentId: string, listener: (update: PaymentUpdate) => void): () => void {
    this.#find(paymentId);
    let set = this.#listeners.get(paymentId);
    if (!set) {
      set = new Set();
      this.#listeners.set(paymentId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(paymentId);
    };
  }

  /** Every update of every payment (webhooks, metrics, audit). */
  onUpdate(listener: (update: PaymentUpdate) => void): () => void {
    this.#globalListeners.add(listener);
    return () => this.#globalListeners.delete(listener);
  }

  /** The statusCallback and id of a payment, for the webhook sender. */
  callbackOf(paymentId: string): string | undefined {
    return this.#payments.get(paymentId)?.request.statusCallback;
  }

  onCustomerKey(call: Call, key: KeypadKey): void {
    const payment = this.#activeByCall.get(call.id);
    if (!payment || this.#stopping) return; // no payment: the key is masked from the agent and goes nowhere
    this.#dispatch(payment, { type: 'key', key, now: this.#options.clock.now() });
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
        this.#dispatch(payment, { type: 'internal-error', now: this.#options.clock.now() });
      }
    }
    while (this.#tokenisations.size > 0) await Promise.allSettled([...this.#tokenisations]);
  }

  #refuseWhenStopping(): void {
    if (this.#stopping)
      throw new GatewayError('GW_ERR_STOPPING', 'the gateway is stopping', { retryable: true });
  }

  #find(paymentId: string): Payment {
    const payment = this.#payments.get(paymentId);
    if (payment) return payment;
    if (this.#options.statusStore?.get(paymentId)) {
      throw new GatewayError('GW_ERR_PAYMENT_STATE', REJECTION_MESSAGES['not-in-progress']);
    }
    throw new GatewayError('GW_ERR_NOT_FOUND', 'no such payment');
  }

  #agentAction(paymentId: string, event: CaptureEvent): AgentView {
    const payment = this.#find(paymentId);
    const result = this.#dispatch(payment, event);
    if (result.rejected) {
      throw new GatewayError('GW_ERR_PAYMENT_STATE', REJECTION_MESSAGES[result.rejected]);
    }
    return toAgentView(payment.state);
  }

  #onCallChange(change: CallChange): void {
    if (change.type !== 'removed') return;
    const payment = this.#activeByCall.get(change.call.id);
    if (payment) this.#dispatch(payment, { type: 'hang-up', now: this.#options.clock.now() });
  }

  #dispatch(payment: Payment, event: CaptureEvent): CaptureTransition {
    const result = transition(payment.state, event);
    this.#apply(payment, result);
    return result;
  }

  #apply(payment: Payment, result: CaptureTransition): void {
    payment.state = result.state;
    for (const command of result.commands) this.#run(payment, command);
    if (isTerminalStatus(payment.state.status) && payment.endedAt === undefined) this.#finish(payment);
  }

  #run(payment: Payment, command: CaptureCommand): void {
    switch (command.type) {
      case 'play-prompt':
        this.#options.prompts.play(payment.call, command.prompt).catch((error: unknown) => {
          payment.logger.warn({ err: error, prompt: command.prompt }, 'prompt could not be played');
        });
        return;
      case 'schedule-timeout': {
        payment.timer?.cancel();
        const delay = command.at - this.#options.clock.now();
        payment.timer = this.#options.timers.set(delay, () => {
          payment.timer = undefined;
          this.#dispatch(payment, { type: 'timeout', now: this.#options.clock.now() });
        });
        return;
      }
      case 'clear-timeout':
        payment.timer?.cancel();
        payment.timer = undefined;
        return;
      case 'tokenise':
        this.#tokenise(payment, payment.state);
        return;
      case 'notify':
        this.#notify(payment);
        return;
    }
  }

  #tokenise(payment: Payment, state: CaptureState): void {
    const { request } = payment;
    const connector = this.#options.connector;
    // the last four of the validated number, read before the buffers are zeroed, to check the token
    const capturedLast4 = state.card.last4;
    const run = revealCardForConnector(state, (card) =>
      connector.tokenise({
        paymentId: payment.id,
        idempotencyKey: `${payment.id}:tokenise`,
        card,
        tokenType: request.tokenType,
        ...(request.chargeAmount === undefined ? {} : { chargeAmount: request.chargeAmount }),
        ...(request.currency === undefined ? {} : { currency: request.currency }),
        ...(request.description === undefined ? {} : { description: request.description }),
      }),
    )
      .then(
        (reply): ProcessorResult | undefined => {
          if (reply.outcome === 'declined') {
            return { outcome: 'declined', declineCode: reply.declineCode, reason: reply.reason };
          }
          if (reply.last4 !== capturedLast4) {
            payment.logger.error({ connector: connector.name }, 'processor token is for another card');
            return undefined;
          }
          return {
            outcome: 'success',
            token: reply.token,
            confirmationCode: reply.confirmationCode ?? reply.token,
          };
        },
        (error: unknown): ProcessorResult | undefined => {
          payment.logger.warn({ err: error, connector: connector.name }, 'tokenisation failed');
          const isConnectorError =
            isGatewayError(error) && /^GW_ERR_(PROCESSOR|INVALID_AMOUNT)/.test(error.code);
          return isConnectorError ? { outcome: 'payment-connector-error' } : undefined;
        },
      )
      .then((result) => {
        const now = this.#options.clock.now();
        this.#dispatch(
          payment,
          result ? { type: 'processor-result', result, now } : { type: 'internal-error', now },
        );
      })
      .catch((error: unknown) =>
        payment.logger.error({ err: error }, 'tokenisation result could not be applied'),
      );
    this.#tokenisations.add(run);
    void run.finally(() => this.#tokenisations.delete(run));
  }

  #notify(payment: Payment): void {
    payment.sequence += 1;
    const view = toAgentView(payment.state);
    // a key that only adds a digit is progress for the agent's screen, not a change of state: no log
    // line (the listener's debug line has its arrival), no status-store line, no audit record
    const progress = payment.lastChange !== undefined && addsDigitsOnly(payment.lastChange, view);
    const update: PaymentUpdate = {
      view,
      sequence: payment.sequence,
      at: new Date(this.#options.clock.now()).toISOString(),
      progress,
    };
    if (!progress) {
      payment.lastChange = update.view;
      payment.logger.info(
        {
          status: update.view.status,
          capture: update.view.capture,
          errorType: update.view.errorType,
          outcome: update.view.result?.outcome,
        },
        'payment updated',
      );
      this.#options.statusStore?.save(
        toStatusRecord(update.view, {
          agent: payment.call.agent,
          startedAt: payment.startedAt,
          updatedAt: update.at,
        }),
      );
    }
    for (const listener of [...(this.#listeners.get(payment.id) ?? []), ...this.#globalListeners]) {
      try {
        listener(update);
      } catch (error) {
        // one broken subscriber (a closed SSE stream, a webhook queue) must not stop the payment
        payment.logger.error({ err: error }, 'payment update listener failed');
      }
    }
  }

  #finish(payment: Payment): void {
    payment.timer?.cancel();
    payment.timer = undefined;
    payment.endedAt = this.#options.clock.now();
    if (this.#activeByCall.get(payment.call.id) === payment) this.#activeByCall.delete(payment.call.id);
    payment.logger.info(
      { status: payment.state.status, outcome: payment.state.result?.outcome },
      'payment ended',
    );
    this.#forgetOldest();
  }

  #forgetOldest(): void {
    const limit = this.#options.retainFinished ?? 10_000;
    let finished = 0;
    for (const payment of this.#payments.values()) if (payment.endedAt !== undefined) finished += 1;
    for (const [id, payment] of this.#payments) {
      if (finished <= limit) return;
      if (payment.endedAt === undefined) continue;
      this.#payments.delete(id);
      this.#listeners.delete(id);
      for (const [key, holder] of this.#byIdempotencyKey)
        if (holder === payment) this.#byIdempotencyKey.delete(key);
      finished -= 1;
    }
  }
}

/** True when free text holds a card number (Luhn-valid, a brand's prefix and length; see PanFinder). */
function holdsCardNumber(text: string): boolean {
  const finder = new PanFinder();
  finder.push(new TextEncoder().encode(text));
  return finder.end().length > 0;
}

/** Checks what the schema cannot: the amount against its currency, and no card-like text. */
function checkRequest(request: PaymentRequest): void {
  if (request.chargeAmount !== undefined && /[1-9]/.test(request.chargeAmount)) {
    if (request.currency === undefined) {
      throw new GatewayError('GW_ERR_INVALID_BODY', '"currency" is required with "chargeAmount"');
    }
    toMinorUnits(request.chargeAmount, request.currency);
  }
  for (const [name, text] of [
    ['description', request.description],
    ['idempotencyKey', request.idempotencyKey],
  ] as const) {
    if (text !== undefined && holdsCardNumber(text)) {
      throw new GatewayError('GW_ERR_INVALID_BODY', `"${name}" must not contain a card number`);
    }
  }
}

function fingerprintOf(request: PaymentRequest): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

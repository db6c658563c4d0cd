import { type AgentView, addsDigitsOnly, toAgentView } from '../../domain/capture/agent-view.js';
import type { CaptureCommand } from '../../domain/capture/capture-commands.js';
import type { CaptureEvent } from '../../domain/capture/capture-events.js';
import { type CaptureTransition, transition } from '../../domain/capture/capture-machine.js';
import { type CaptureState, wipeCardDigits } from '../../domain/capture/capture-state.js';
import { isTerminalStatus } from '../../domain/capture/capture-types.js';
import type { Logger } from '../../logger.js';
import type { Call } from '../calls/call-registry.js';
import type { Clock, Timers } from '../clock.js';
import type { ChargeLedger } from './charge-ledger.js';
import type { IdempotencyClaim } from './idempotency-keys.js';
import type { PaymentListeners } from './payment-listeners.js';
import type { PromptPlayer } from './payment-ports.js';
import type { PaymentRequest } from './payment-request.js';
import { type PaymentStatusStore, toStatusRecord } from './payment-status-store.js';
import { type TokenisationsInFlight, tokenise } from './payment-tokenisation.js';
import { isCharge, type ProcessorConnector } from './processor-connector.js';

/** What every payment session shares: the service's ports and where its updates go. */
export interface SessionContext {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly prompts: PromptPlayer;
  readonly connector: ProcessorConnector;
  readonly statusStore: PaymentStatusStore | undefined;
  readonly listeners: PaymentListeners;
  readonly tokenisations: TokenisationsInFlight;
  /** Charges sent and not yet answered, kept across a crash (charge-ledger.ts). */
  readonly charges: ChargeLedger | undefined;
  /** Called once, when the session reaches a terminal status. */
  readonly finished: (session: PaymentSession) => void;
}

export interface SessionInit {
  readonly id: string;
  readonly call: Call;
  readonly request: PaymentRequest;
  /** The idempotency key as held: scoped to the call, with the request's fingerprint. */
  readonly claim: IdempotencyClaim;
  readonly logger: Logger;
  /** The state `startCapture` returned; its commands are applied with `apply`. */
  readonly state: CaptureState;
}

/**
 * One payment: runs the pure capture machine and carries out the commands it returns (prompts, one
 * timer, tokenisation, notifications). Card digits stay inside the capture state.
 */
export class PaymentSession {
  readonly id: string;
  readonly call: Call;
  readonly request: PaymentRequest;
  readonly claim: IdempotencyClaim;
  readonly logger: Logger;
  readonly startedAt: string;
  readonly #context: SessionContext;
  #state: CaptureState;
  #sequence = 0;
  /** The last update that was more than digits added (logged at info, saved to the status store). */
  #lastChange: AgentView | undefined;
  #timer: { cancel(): void } | undefined;
  #finished = false;

  constructor(init: SessionInit, context: SessionContext) {
    this.id = init.id;
    this.call = init.call;
    this.request = init.request;
    this.claim = init.claim;
    this.logger = init.logger;
    this.#state = init.state;
    this.#context = context;
    this.startedAt = new Date(context.clock.now()).toISOString();
  }

  get state(): CaptureState {
    return this.#state;
  }

  view(): AgentView {
    return toAgentView(this.#state);
  }

  /** Runs one event through the capture machine and carries out what it says. */
  dispatch(event: CaptureEvent): CaptureTransition {
    const result = transition(this.#state, event);
    this.apply(result);
    return result;
  }

  /** Takes a transition's state and runs its commands; ends the session once the status is terminal. */
  apply(result: CaptureTransition): void {
    this.#state = result.state;
    for (const command of result.commands) this.#run(command);
    if (isTerminalStatus(this.#state.status) && !this.#finished) this.#finish();
  }

  /** The amount, said to the customer (the capture asks only for a charge: captureSettingsOf). */
  #readBack(): void {
    const { chargeAmount, currency, language } = this.request;
    const { prompts } = this.#context;
    if (chargeAmount === undefined || currency === undefined || prompts.readBack === undefined) return;
    this.logger.info({ language: language ?? 'default' }, 'amount read back');
    prompts.readBack(this.call, { chargeAmount, currency }, language).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'amount could not be read back');
    });
  }

  #now(): number {
    return this.#context.clock.now();
  }

  #run(command: CaptureCommand): void {
    switch (command.type) {
      case 'play-prompt':
        this.#context.prompts
          .play(this.call, command.prompt, this.request.language)
          .catch((error: unknown) => {
            this.logger.warn({ err: error, prompt: command.prompt }, 'prompt could not be played');
          });
        return;
      case 'read-back-amount':
        this.#readBack();
        return;
      case 'schedule-timeout':
        this.#arm(command.at);
        return;
      case 'clear-timeout':
        this.#clearTimer();
        return;
      case 'tokenise':
        this.#tokenise();
        return;
      case 'notify':
        this.#notify();
        return;
    }
  }

  /**
   * Fires the machine's timeout at `at` (wall clock). A timer can fire a millisecond early by the wall
   * clock (Node's timers run on the loop's own time); the machine ignores a timeout before its deadline,
   * so an early one is re-armed for the rest, never dropped (CI once saw a payment wait forever).
   */
  #arm(at: number): void {
    this.#clearTimer();
    this.#timer = this.#context.timers.set(Math.max(1, at - this.#now()), () => {
      this.#timer = undefined;
      if (this.#now() < at) {
        this.#arm(at);
        return;
      }
      this.dispatch({ type: 'timeout', now: this.#now() });
    });
  }

  #clearTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #tokenise(): void {
    const { connector, tokenisations, charges } = this.#context;
    const { processorKey } = this.claim;
    const asked = { paymentId: this.id, processorKey, request: this.request, state: this.#state, connector };
    const charge = isCharge(this.request) ? charges : undefined;
    try {
      charge?.sending({
        paymentId: this.id,
        callId: this.call.id,
        agent: this.call.agent,
        processorKey,
        sentAt: this.#now(),
      });
    } catch (error) {
      // no record of the charge, no charge: a crash could leave it unreconciled
      this.logger.error({ err: error }, 'charge could not be recorded before sending; not sent');
      wipeCardDigits(this.#state);
      this.dispatch({ type: 'internal-error', now: this.#now() });
      return;
    }
    const run = tokenise({ ...asked, logger: this.logger })
      .then(async (result) => {
        if (result?.outcome === 'unknown') charge?.unknown(this.id);
        const now = this.#now();
        this.dispatch(result ? { type: 'processor-result', result, now } : { type: 'internal-error', now });
        if (charge && result?.outcome !== 'unknown') {
          // the outcome durable first: a crash in between leaves a row to reconcile, never a lost charge
          await this.#context.statusStore?.flush();
          charge.settled(this.id);
        }
      })
      .catch((error: unknown) =>
        this.logger.error({ err: error }, 'tokenisation result could not be applied'),
      );
    tokenisations.track(run);
  }

  #notify(): void {
    this.#sequence += 1;
    const view = this.view();
    // a key that only adds a digit is progress for the agent's screen, not a change of state: no log
    // line (the listener's debug line has its arrival), no status-store line, no audit record
    const progress = this.#lastChange !== undefined && addsDigitsOnly(this.#lastChange, view);
    const at = new Date(this.#now()).toISOString();
    if (!progress) {
      this.#lastChange = view;
      this.logger.info(
        {
          status: view.status,
          capture: view.capture,
          errorType: view.errorType,
          outcome: view.result?.outcome,
        },
        'payment updated',
      );
      this.#context.statusStore?.save(
        toStatusRecord(view, {
          agent: this.call.agent,
          startedAt: this.startedAt,
          updatedAt: at,
          sequence: this.#sequence,
          statusCallback: this.request.statusCallback,
        }),
      );
    }
    this.#context.listeners.publish(this.id, { view, sequence: this.#sequence, at, progress }, this.logger);
  }

  #finish(): void {
    this.#clearTimer();
    this.#finished = true;
    this.logger.info({ status: this.#state.status, outcome: this.#state.result?.outcome }, 'payment ended');
    this.#context.finished(this);
  }
}

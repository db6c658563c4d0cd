/**
 * The capture state machine: `transition(state, event) -> {state, commands}`. Pure but for the digit
 * buffers the state owns (see CaptureState): no clock (events carry `now`), no timers (a deadline in
 * the state, `schedule-timeout` commands out and `timeout` events in), no I/O (commands out).
 *
 * Keys: a digit fills the current field, `#` submits it, `*` clears it, A–D are ignored; a field
 * submits itself when it reaches its maximum length. Keys that arrive when no field is capturing are
 * dropped unread. A key that arrives after the deadline is taken after the timeout it missed.
 */

import { SecureDigits } from '../card/secure-digits.js';
import { isAwaitingConfirmation, onConfirmationKey, onConfirmationTimeout } from './amount-confirmation.js';
import type { CaptureEvent, ReconciledOutcome, TokenisationOutcome } from './capture-events.js';
import { type CaptureSettings, resolveCaptureSettings } from './capture-settings.js';
import type { CaptureState, FieldCapture } from './capture-state.js';
import { wipeCardDigits } from './capture-state.js';
import {
  activate,
  addDigit,
  askConfirmation,
  type CaptureTransition,
  clearField,
  failAttempt,
  finish,
  needsConfirmation,
  refuse,
  requestedFields,
  resetField,
  startProcessing,
  submit,
  unchanged,
} from './capture-steps.js';
import { CAPTURE_FIELDS, type CaptureField } from './capture-types.js';
import { fieldCapacity } from './field-rules.js';
import { isDigitKey, type KeypadKey } from './keypad.js';

export type { CaptureTransition } from './capture-steps.js';

export interface StartCaptureOptions {
  readonly id: string;
  readonly callId: string;
  readonly settings?: CaptureSettings;
  readonly now: number;
}

/**
 * A new capture, in progress. Auto mode asks for the card number at once; agent mode waits for the
 * agent to ask for a field. Throws GatewayError `GW_ERR_INVALID_BODY` for out-of-bounds settings.
 */
export function startCapture(options: StartCaptureOptions): CaptureTransition {
  const settings = resolveCaptureSettings(options.settings);
  const wanted: Record<CaptureField, boolean> = {
    'payment-card-number': true,
    'expiration-date': true,
    'security-code': settings.securityCode,
    'postal-code': settings.postalCode,
  };
  const fields: Partial<Record<CaptureField, FieldCapture>> = {};
  for (const field of CAPTURE_FIELDS) {
    if (!wanted[field]) continue;
    const digits = new SecureDigits({ capacity: fieldCapacity(field, settings) });
    fields[field] = { status: 'pending', digits, count: 0, failedAttempts: 0 };
  }
  const state: CaptureState = {
    id: options.id,
    callId: options.callId,
    settings,
    status: 'in-progress',
    capture: null,
    fields,
    card: {},
    deadline: null,
    expiresAt: options.now + settings.maxDurationMs,
  };
  if (settings.captureMode === 'agent') {
    const waiting = { ...state, deadline: state.expiresAt };
    return {
      state: waiting,
      commands: [{ type: 'schedule-timeout', at: state.expiresAt }, { type: 'notify' }],
    };
  }
  return activate(state, 'payment-card-number', options.now);
}

export function transition(state: CaptureState, event: CaptureEvent): CaptureTransition {
  switch (event.type) {
    case 'key':
      return onKey(state, event.key, event.now);
    case 'timeout':
      return onTimeout(state, event.now);
    case 'capture':
      return onCapture(state, event.field, event.now);
    case 'complete':
      return onComplete(state, event.now);
    case 'cancel':
      return onCancel(state);
    case 'hang-up':
      return onHangUp(state);
    case 'processor-result':
      return onProcessorResult(state, event.result);
    case 'internal-error':
      return onInternalError(state);
    case 'reconciled':
      return onReconciled(state, event.result);
  }
}

function onKey(state: CaptureState, key: KeypadKey, now: number): CaptureTransition {
  const field = state.capture;
  const confirming = isAwaitingConfirmation(state);
  if (state.status !== 'in-progress' || (field === null && !confirming)) return unchanged(state);
  if (state.deadline !== null && now >= state.deadline) {
    const timedOut = onTimeout(state, now);
    const keyed = onKey(timedOut.state, key, now);
    return { state: keyed.state, commands: [...timedOut.commands, ...keyed.commands] };
  }
  if (field === null) return onConfirmationKey(state, key);
  if (key === '#') return submit(state, field, now);
  if (key === '*') return clearField(state, field, now);
  if (!isDigitKey(key)) return unchanged(state);
  return addDigit(state, field, Number(key), now);
}

function onTimeout(state: CaptureState, now: number): CaptureTransition {
  if (state.status !== 'in-progress' || state.deadline === null || now < state.deadline) {
    return unchanged(state);
  }
  if (now >= state.expiresAt) {
    return finish(state, {
      status: 'failed',
      result: { outcome: 'cancelled' },
      errorType: 'input-timeout',
      prompt: 'payment-cancelled',
    });
  }
  if (isAwaitingConfirmation(state)) return onConfirmationTimeout(state, now);
  const field = state.capture;
  if (field === null) return unchanged(state);
  return failAttempt(state, field, 'input-timeout', now);
}

function onCapture(state: CaptureState, field: CaptureField, now: number): CaptureTransition {
  if (state.status !== 'in-progress') return refuse(state, 'not-in-progress');
  if (state.fields[field] === undefined) return refuse(state, 'field-not-requested');
  const current = state.capture;
  // asking for a field again drops a read-back under way: completing says the amount again
  const { readBack: _readBack, ...asked } = state;
  const left = current !== null && current !== field ? resetField(asked, current) : asked;
  const { errorType: _errorType, ...fresh } = resetField(left, field);
  return activate(fresh, field, now);
}

function onComplete(state: CaptureState, now: number): CaptureTransition {
  if (state.status !== 'in-progress') return refuse(state, 'not-in-progress');
  const incomplete = requestedFields(state).some((field) => state.fields[field]?.status !== 'captured');
  if (incomplete) return refuse(state, 'fields-incomplete');
  if (isAwaitingConfirmation(state)) return refuse(state, 'not-in-progress');
  return needsConfirmation(state) ? askConfirmation(state, now) : startProcessing(state);
}

function onCancel(state: CaptureState): CaptureTransition {
  if (state.status !== 'in-progress') return refuse(state, 'not-in-progress');
  return finish(state, {
    status: 'cancelled',
    result: { outcome: 'cancelled' },
    prompt: 'payment-cancelled',
  });
}

/**
 * The customer hung up. While in progress the payment fails. While processing, the connector already
 * has the card and its result decides the payment, so only the buffers are zeroed here.
 */
function onHangUp(state: CaptureState): CaptureTransition {
  if (state.status === 'processing') {
    wipeCardDigits(state);
    return unchanged(state);
  }
  if (state.status !== 'in-progress') return unchanged(state);
  return finish(state, {
    status: 'failed',
    result: { outcome: 'caller-hung-up' },
    errorType: 'caller-hung-up',
  });
}

function onProcessorResult(state: CaptureState, result: TokenisationOutcome): CaptureTransition {
  if (state.status !== 'processing') return unchanged(state);
  switch (result.outcome) {
    case 'success':
      return succeed(state, result);
    case 'declined': {
      const { declineCode, reason } = result;
      return finish(state, {
        status: 'failed',
        result: {
          outcome: 'declined',
          ...(declineCode === undefined ? {} : { declineCode }),
          ...(reason === undefined ? {} : { reason }),
        },
        prompt: 'payment-declined',
      });
    }
    case 'unknown':
      // digits already zeroed (reveal-card.ts); no prompt: nobody can tell the customer yet
      return {
        state: { ...state, status: 'unknown', result: { outcome: 'unknown' } },
        commands: [{ type: 'notify' }],
      };
    case 'payment-connector-error':
      return finish(state, {
        status: 'failed',
        result: { outcome: 'payment-connector-error' },
        errorType: 'payment-connector-error',
        prompt: 'payment-failed',
      });
  }
}

/** A charge of unknown outcome, settled by looking it up at the processor. */
function onReconciled(state: CaptureState, result: ReconciledOutcome): CaptureTransition {
  if (state.status !== 'unknown') return unchanged(state);
  if (result.outcome === 'success') return succeed(state, result);
  if (result.outcome === 'declined') {
    return finish(state, { status: 'failed', result: { ...result }, prompt: 'payment-declined' });
  }
  return finish(state, {
    status: 'failed',
    result: { outcome: 'payment-connector-error' },
    errorType: 'payment-connector-error',
  });
}

function succeed(
  state: CaptureState,
  result: Extract<TokenisationOutcome, { outcome: 'success' }>,
): CaptureTransition {
  const { brand, last4, expMonth, expYear } = state.card;
  if (brand === undefined || last4 === undefined || expMonth === undefined || expYear === undefined) {
    return onInternalError(state);
  }
  const { token, confirmationCode } = result;
  return finish(state, {
    status: 'succeeded',
    result: { outcome: 'success', token, last4, brand, expMonth, expYear, confirmationCode },
    prompt: 'payment-succeeded',
  });
}

function onInternalError(state: CaptureState): CaptureTransition {
  if (state.status !== 'in-progress' && state.status !== 'processing') return unchanged(state);
  return finish(state, { status: 'failed', result: { outcome: 'internal-error' }, prompt: 'payment-failed' });
}

/**
 * The steps the capture machine is built from. Each takes a state and returns a transition; none reads
 * a clock or does I/O. Steps may write to or zero the digit buffers the state owns.
 */

import { isValidSecurityCodeLength } from '../card/security-code.js';
import { askPrompt, type CaptureCommand, type CaptureRejection, type PromptId } from './capture-commands.js';
import type { CaptureState, FieldCapture, PaymentResult } from './capture-state.js';
import { wipeCardDigits } from './capture-state.js';
import {
  CAPTURE_FIELDS,
  type CaptureField,
  type ErrorType,
  type FieldErrorType,
  type PaymentStatus,
} from './capture-types.js';
import { type FieldContext, fieldMaxLength, judgeField, keyedBrand } from './field-rules.js';

export interface CaptureTransition {
  readonly state: CaptureState;
  /** What the shell must do, in order. Empty when nothing changed. */
  readonly commands: readonly CaptureCommand[];
  /** Set when an agent's request (capture, complete, cancel) was refused; the state is unchanged. */
  readonly rejected?: CaptureRejection;
}

const NOTIFY: CaptureCommand = Object.freeze({ type: 'notify' });
const CLEAR_TIMEOUT: CaptureCommand = Object.freeze({ type: 'clear-timeout' });

export function unchanged(state: CaptureState): CaptureTransition {
  return { state, commands: [] };
}

export function refuse(state: CaptureState, rejected: CaptureRejection): CaptureTransition {
  return { state, commands: [], rejected };
}

function play(prompt: PromptId): CaptureCommand {
  return { type: 'play-prompt', prompt };
}

/** The fields the settings ask for, in capture order. */
export function requestedFields(state: Pick<CaptureState, 'fields'>): CaptureField[] {
  return CAPTURE_FIELDS.filter((field) => state.fields[field] !== undefined);
}

/** The field's capture; only called for fields the state has (the machine checks first). */
export function fieldOf(state: CaptureState, field: CaptureField): FieldCapture {
  const capture = state.fields[field];
  if (capture === undefined) throw new RangeError(`field "${field}" is not requested`);
  return capture;
}

function withField(state: CaptureState, field: CaptureField, patch: Partial<FieldCapture>): CaptureState {
  return { ...state, fields: { ...state.fields, [field]: { ...fieldOf(state, field), ...patch } } };
}

function context(state: CaptureState): FieldContext {
  return { settings: state.settings, cardBrand: state.card.brand };
}

/** Makes `field` the one digits go to, asks the customer for it and arms the first-digit timer. */
export function activate(state: CaptureState, field: CaptureField, now: number): CaptureTransition {
  const at = Math.min(now + state.settings.firstDigitTimeoutMs, state.expiresAt);
  return {
    state: { ...withField(state, field, { status: 'capturing' }), capture: field, deadline: at },
    commands: [play(askPrompt(field)), { type: 'schedule-timeout', at }, NOTIFY],
  };
}

/** Forgets what a field held (buffer zeroed, verdict and derived card facts dropped). */
export function resetField(state: CaptureState, field: CaptureField): CaptureState {
  const capture = fieldOf(state, field);
  capture.digits.wipe();
  const { valid: _valid, brand: _brand, ...kept } = capture;
  const card = forgetCardFacts(state, field);
  return { ...state, card, fields: { ...state.fields, [field]: { ...kept, status: 'pending', count: 0 } } };
}

function forgetCardFacts(state: CaptureState, field: CaptureField): CaptureState['card'] {
  if (field === 'payment-card-number') {
    const { brand: _brand, last4: _last4, ...rest } = state.card;
    return rest;
  }
  if (field === 'expiration-date') {
    const { expMonth: _month, expYear: _year, ...rest } = state.card;
    return rest;
  }
  return state.card;
}

export function addDigit(
  state: CaptureState,
  field: CaptureField,
  digit: number,
  now: number,
): CaptureTransition {
  const { digits } = fieldOf(state, field);
  if (!digits.append(digit)) return unchanged(state);
  const brand = field === 'payment-card-number' ? keyedBrand(digits) : undefined;
  const next = withField(state, field, { count: digits.length, ...(brand === undefined ? {} : { brand }) });
  if (digits.length >= fieldMaxLength(field, digits, context(next))) return submit(next, field, now);
  const at = Math.min(now + state.settings.interDigitTimeoutMs, state.expiresAt);
  return { state: { ...next, deadline: at }, commands: [{ type: 'schedule-timeout', at }, NOTIFY] };
}

/** `*`: empties the field and asks for it again; not a failed attempt. */
export function clearField(state: CaptureState, field: CaptureField, now: number): CaptureTransition {
  const capture = fieldOf(state, field);
  capture.digits.wipe();
  const { brand: _brand, ...kept } = capture;
  return activate({ ...state, fields: { ...state.fields, [field]: { ...kept, count: 0 } } }, field, now);
}

/** `#`, a full field, or the agent: judges the field. */
export function submit(state: CaptureState, field: CaptureField, now: number): CaptureTransition {
  const verdict = judgeField(field, fieldOf(state, field).digits, { ...context(state), now });
  return verdict.ok
    ? accept({ ...state, card: { ...state.card, ...verdict.card } }, field, now)
    : failAttempt(state, field, verdict.errorType, now);
}

function accept(state: CaptureState, field: CaptureField, now: number): CaptureTransition {
  const { errorType: _errorType, ...rest } = withField(state, field, { status: 'captured', valid: true });
  const accepted = field === 'payment-card-number' ? recheckSecurityCode(rest) : rest;
  if (state.settings.captureMode === 'agent') {
    // the agent picks what comes next; the capture's lifetime still bounds how long digits wait
    const at = state.expiresAt;
    return {
      state: { ...accepted, capture: null, deadline: at },
      commands: [{ type: 'schedule-timeout', at }, NOTIFY],
    };
  }
  const next = requestedFields(accepted).find((name) => fieldOf(accepted, name).status !== 'captured');
  if (next !== undefined) return activate(accepted, next, now);
  return needsConfirmation(accepted) ? askConfirmation(accepted, now) : startProcessing(accepted);
}

/** True when the fields are done but the amount still has to be read back and confirmed. */
export function needsConfirmation(state: CaptureState): boolean {
  return state.settings.confirmAmount && state.readBack?.status !== 'confirmed';
}

/** Says the amount (amount-confirmation.ts) and waits for `#` or `*`. */
export function askConfirmation(state: CaptureState, now: number): CaptureTransition {
  const at = Math.min(now + state.settings.firstDigitTimeoutMs, state.expiresAt);
  const said = (state.readBack?.said ?? 0) + 1;
  return {
    state: { ...state, capture: null, deadline: at, readBack: { status: 'awaiting', said } },
    commands: [{ type: 'read-back-amount' }, { type: 'schedule-timeout', at }, NOTIFY],
  };
}

/** A security code taken before the card number is dropped if its length does not fit the brand. */
function recheckSecurityCode(state: CaptureState): CaptureState {
  const code = state.fields['security-code'];
  if (code?.status !== 'captured' || isValidSecurityCodeLength(code.count, state.card.brand)) return state;
  return resetField(state, 'security-code');
}

/** An invalid submission or a timeout: zero the field, count the attempt, ask again or give up. */
export function failAttempt(
  state: CaptureState,
  field: CaptureField,
  errorType: FieldErrorType,
  now: number,
): CaptureTransition {
  const capture = fieldOf(state, field);
  capture.digits.wipe();
  const failedAttempts = capture.failedAttempts + 1;
  const { brand: _brand, ...kept } = capture;
  const failed: CaptureState = {
    ...state,
    errorType,
    fields: { ...state.fields, [field]: { ...kept, count: 0, valid: false, failedAttempts } },
  };
  if (failedAttempts >= state.settings.maxAttempts) {
    return finish(failed, {
      status: 'failed',
      result: { outcome: 'too-many-failed-attempts' },
      errorType: 'too-many-failed-attempts',
      prompt: 'error-too-many-failed-attempts',
    });
  }
  const asked = activate(failed, field, now);
  return { ...asked, commands: [play(`error-${errorType}`), ...asked.commands] };
}

/** Every requested field is valid: hand over to the connector. The digits stay until it has them. */
export function startProcessing(state: CaptureState): CaptureTransition {
  return {
    state: { ...state, status: 'processing', capture: null, deadline: null },
    commands: [CLEAR_TIMEOUT, play('payment-processing'), { type: 'tokenise' }, NOTIFY],
  };
}

export interface Ending {
  readonly status: Extract<PaymentStatus, 'succeeded' | 'failed' | 'cancelled'>;
  readonly result: PaymentResult;
  readonly errorType?: ErrorType;
  readonly prompt?: PromptId;
}

/** Ends the payment: every buffer zeroed, no field active, no timer. */
export function finish(state: CaptureState, ending: Ending): CaptureTransition {
  wipeCardDigits(state);
  const fields = Object.fromEntries(
    Object.entries(state.fields).map(([name, capture]) => [
      name,
      capture.status === 'capturing' ? { ...capture, status: 'pending' } : capture,
    ]),
  );
  const { errorType: _errorType, ...rest } = state;
  const ended: CaptureState = {
    ...rest,
    fields,
    status: ending.status,
    capture: null,
    deadline: null,
    result: ending.result,
    ...(ending.errorType === undefined ? {} : { errorType: ending.errorType }),
  };
  const prompt = ending.prompt === undefined ? [] : [play(ending.prompt)];
  return { state: ended, commands: [CLEAR_TIMEOUT, ...prompt, NOTIFY] };
}

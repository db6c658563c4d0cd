/**
 * The read-back of the amount (settings.confirmAmount): once every requested field is valid the
 * customer hears the amount and currency and presses `#` to confirm (the card goes to the processor)
 * or `*` to cancel (the payment ends `cancelled`, every digit zeroed). Silence: the amount is said
 * again when the first-digit timeout passes, up to maxAttempts times, then the payment fails
 * (`input-timeout`, outcome `cancelled`). Other keys are ignored.
 */

import type { CaptureState } from './capture-state.js';
import {
  askConfirmation,
  type CaptureTransition,
  finish,
  startProcessing,
  unchanged,
} from './capture-steps.js';
import type { KeypadKey } from './keypad.js';

export function isAwaitingConfirmation(state: CaptureState): boolean {
  return state.status === 'in-progress' && state.capture === null && state.readBack?.status === 'awaiting';
}

export function onConfirmationKey(state: CaptureState, key: KeypadKey): CaptureTransition {
  const said = state.readBack?.said ?? 1;
  if (key === '#') return startProcessing({ ...state, readBack: { status: 'confirmed', said } });
  if (key === '*') {
    return finish(state, {
      status: 'cancelled',
      result: { outcome: 'cancelled' },
      prompt: 'payment-cancelled',
    });
  }
  return unchanged(state);
}

export function onConfirmationTimeout(state: CaptureState, now: number): CaptureTransition {
  if ((state.readBack?.said ?? 0) < state.settings.maxAttempts) return askConfirmation(state, now);
  return finish(state, {
    status: 'failed',
    result: { outcome: 'cancelled' },
    errorType: 'input-timeout',
    prompt: 'payment-cancelled',
  });
}

/**
 * The agent view: the only projection of a capture that leaves for agents (API replies, SSE frames,
 * webhooks). Per field it shows the state, how many digits, a mask, the brand once the digits decide
 * it, and the verdict. The last four of the card number appear only once the number is valid; the
 * security code never shows more than its digit count and verdict. It is built from plain values only,
 * never from a digit buffer.
 */

import type { CardBrand } from '../card/card-brand.js';
import type { CaptureState, FieldCapture, FieldStatus, PaymentResult } from './capture-state.js';
import { requestedFields } from './capture-steps.js';
import { CAPTURE_FIELDS, type CaptureField, type ErrorType, type PaymentStatus } from './capture-types.js';

export interface AgentFieldView {
  readonly state: FieldStatus;
  /** How many digits the field holds. */
  readonly digits: number;
  /** One `*` a digit; for a valid card number, the last four in place of the last four stars. */
  readonly masked: string;
  /** Card number only, once the digits decide the brand. */
  readonly brand?: CardBrand;
  /** The verdict on the last submission; absent before the first. */
  readonly valid?: boolean;
}

export interface AgentView {
  readonly id: string;
  readonly callId: string;
  readonly status: PaymentStatus;
  /** The field the customer's digits go to now, or null. */
  readonly capture: CaptureField | null;
  /** The requested fields not yet captured, in capture order (Twilio's `Required`). */
  readonly required: readonly CaptureField[];
  readonly fields: Readonly<Partial<Record<CaptureField, AgentFieldView>>>;
  readonly errorType?: ErrorType;
  readonly result?: PaymentResult;
  /**
   * The amount read back to the customer: `awaiting` their `#` (confirm) or `*` (cancel), then
   * `confirmed`; absent for payments that do not read it back, and before it is said.
   */
  readonly readBack?: 'awaiting' | 'confirmed';
}

export function toAgentView(state: CaptureState): AgentView {
  const fields: Partial<Record<CaptureField, AgentFieldView>> = {};
  for (const field of requestedFields(state)) {
    const capture = state.fields[field];
    if (capture !== undefined) fields[field] = fieldView(state, field, capture);
  }
  return {
    id: state.id,
    callId: state.callId,
    status: state.status,
    capture: state.capture,
    required: requestedFields(state).filter((field) => state.fields[field]?.status !== 'captured'),
    fields,
    ...(state.errorType === undefined ? {} : { errorType: state.errorType }),
    ...(state.result === undefined ? {} : { result: { ...state.result } }),
    ...(state.readBack === undefined ? {} : { readBack: state.readBack.status }),
  };
}

function fieldView(state: CaptureState, field: CaptureField, capture: FieldCapture): AgentFieldView {
  const { status, count, valid, brand } = capture;
  const last4 = field === 'payment-card-number' && status === 'captured' ? state.card.last4 : undefined;
  const masked = last4 === undefined ? '*'.repeat(count) : '*'.repeat(Math.max(0, count - 4)) + last4;
  return {
    state: status,
    digits: count,
    masked,
    ...(field === 'payment-card-number' && brand !== undefined ? { brand } : {}),
    ...(valid === undefined ? {} : { valid }),
  };
}

/**
 * True when `next` only adds digits to what `previous` showed: same status, field, required fields,
 * error and result; per field the same state, brand and verdict and no fewer digits. Such an update
 * (one per key press) is progress, not a state change: it goes to the agent (SSE) but gets no audit
 * record, status-store line or info log line of its own; the field's digit count goes with its next
 * change (submitted, judged, cleared, timed out, finished). At 150 paying calls a signed audit record
 * per key was 833 a second, the gateway's largest cost.
 */
export function addsDigitsOnly(previous: AgentView, next: AgentView): boolean {
  if (
    previous.id !== next.id ||
    previous.status !== next.status ||
    previous.capture !== next.capture ||
    previous.errorType !== next.errorType ||
    previous.readBack !== next.readBack ||
    previous.result !== undefined ||
    next.result !== undefined ||
    previous.required.join() !== next.required.join()
  ) {
    return false;
  }
  for (const name of CAPTURE_FIELDS) {
    const before = previous.fields[name];
    const after = next.fields[name];
    if (before === undefined || after === undefined) {
      if (before !== after) return false;
      continue;
    }
    if (
      before.state !== after.state ||
      before.brand !== after.brand ||
      before.valid !== after.valid ||
      after.digits < before.digits
    ) {
      return false;
    }
  }
  return true;
}

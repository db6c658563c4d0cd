/**
 * Audit entries built from what the gateway sees: answered and ended calls, payment updates (the
 * agent view) and API actions. Each builder copies named, typed facts one by one; none copies a
 * string it does not check. From an agent view it takes status, field states, digit counts, brand,
 * verdicts, error type and outcome; never `masked`, never the token; the last four only when the
 * payment succeeded.
 */

import type { AgentView } from '../capture/agent-view.js';
import { CAPTURE_FIELDS, isTerminalStatus } from '../capture/capture-types.js';
import { isCardBrand } from '../card/card-brand.js';
import type { AuditData, AuditEntry } from './audit-record.js';

/** The facts of an answered call the audit keeps (the call registry's `Call` has them). */
export interface AuditCallFacts {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly agent: string;
  readonly answeredAt: string;
  readonly masking: 'on' | 'off';
  /** `ivr` while no agent is connected (TONEWALL_MASKING_FROM=agent); absent: `agent`. */
  readonly phase?: 'ivr' | 'agent';
}

/** Kamailio tells the gateway about calls; it is the actor of call records. */
const CALL_ACTOR = 'system:kamailio';
/** Payment updates come from the capture machine, whoever caused them (customer keys, timers, API). */
const PAYMENT_ACTOR = 'system:gateway';

const LAST4 = /^\d{4}$/;
/** Processor decline codes are words (`card_declined`, `do_not_honor`) or short numeric codes (`05`). */
const DECLINE_CODE = /^(?:[A-Za-z][A-Za-z0-9_.-]{0,47}|\d{1,3})$/;
const ACTION = /^[a-z][a-z0-9.-]{0,63}$/;

export function callAnsweredEntry(call: AuditCallFacts): AuditEntry {
  return {
    type: 'call.answered',
    actor: CALL_ACTOR,
    agent: call.agent,
    callId: call.id,
    data: {
      direction: call.direction,
      masking: call.masking,
      answeredAt: call.answeredAt,
      phase: call.phase ?? 'agent',
    },
  };
}

/**
 * An agent connected to a call after its IVR, or the call moved to another agent (a transfer):
 * `agent` is the new one, `data.from` the one before (empty after an IVR), the masking that holds now.
 */
export function callAgentEntry(call: AuditCallFacts, previous: AuditCallFacts, via: string): AuditEntry {
  return {
    type: 'call.agent',
    actor: CALL_ACTOR,
    agent: call.agent,
    callId: call.id,
    data: {
      from: previous.agent,
      fromPhase: previous.phase ?? 'agent',
      masking: call.masking,
      via: via.slice(0, 16),
    },
  };
}

export function callEndedEntry(call: AuditCallFacts, reason: string): AuditEntry {
  return {
    type: 'call.ended',
    actor: CALL_ACTOR,
    agent: call.agent,
    callId: call.id,
    data: { reason: reason.slice(0, 64), masking: call.masking },
  };
}

/**
 * The entry for one payment update. `sequence` is the update's number (1 for the first); the type is
 * `payment.started` for the first, `payment.finished` for a terminal status, else `payment.updated`.
 */
export function paymentEntry(view: AgentView, sequence: number, agent: string | undefined): AuditEntry {
  const type = isTerminalStatus(view.status)
    ? 'payment.finished'
    : sequence === 1
      ? 'payment.started'
      : 'payment.updated';
  const fields: Record<string, AuditData> = {};
  for (const name of CAPTURE_FIELDS) {
    const field = view.fields[name];
    if (field === undefined) continue;
    fields[name] = {
      state: field.state,
      digits: field.digits,
      brand: field.brand !== undefined && isCardBrand(field.brand) ? field.brand : undefined,
      valid: field.valid,
    };
  }
  const result = view.result;
  const success = result?.outcome === 'success' ? result : undefined;
  const declineCode =
    result !== undefined && result.outcome !== 'success' && result.declineCode !== undefined
      ? result.declineCode
      : undefined;
  return {
    type,
    actor: PAYMENT_ACTOR,
    ...(agent === undefined ? {} : { agent }),
    callId: view.callId,
    paymentId: view.id,
    data: {
      sequence,
      status: view.status,
      capture: view.capture,
      required: CAPTURE_FIELDS.filter((name) => view.required.includes(name)),
      fields,
      errorType: view.errorType,
      // the amount was said to the customer (`awaiting` their answer) and confirmed with #
      amountReadBack: view.readBack,
      outcome: result?.outcome,
      declineCode: declineCode !== undefined && DECLINE_CODE.test(declineCode) ? declineCode : undefined,
      brand: success !== undefined && isCardBrand(success.brand) ? success.brand : undefined,
      last4: success !== undefined && LAST4.test(success.last4) ? success.last4 : undefined,
    },
  };
}

/** What a principal did through the API (`payment.create`, `audit-report.read`, `sign-in` …). */
export interface AuditAction {
  /** `agent:<id>`, `integration:<name>`, `auditor:<id>`. */
  readonly principal: string;
  readonly action: string;
  readonly outcome: 'allowed' | 'denied' | 'failed';
  readonly callId?: string;
  readonly paymentId?: string;
}

/**
 * What was tried: sign-in, its one-time code, enrolling an authenticator, an account locked out,
 * sign-out, a session cookie, a bearer token, a role, a cross-site request, an event stream closed
 * because its credentials ended.
 */
export const AUTH_EVENTS = [
  'sign-in',
  'mfa',
  'mfa-enrolment',
  'lock-out',
  'sign-out',
  'session',
  'bearer',
  'role',
  'csrf',
  'stream',
] as const;
export type AuthEventKind = (typeof AUTH_EVENTS)[number];

export interface AuthEvent {
  /** Who: `user:<name>` (a known user only), `agent:<id>`, `integration:<name>`, or `anonymous`. */
  readonly principal: string;
  readonly event: AuthEventKind;
  readonly outcome: 'allowed' | 'denied' | 'failed' | 'throttled';
  /** The client's address as the HTTP server saw it. */
  readonly source: string;
  /** Why it was refused: an error code (`GW_ERR_UNAUTHORIZED`) or a word (`wrong-password`). */
  readonly reason?: string;
}

const SOURCE = /^[0-9a-fA-F.:]{1,64}$/;
const REASON = /^[A-Za-z][A-Za-z0-9_-]{0,47}$/;

export function authEntry(event: AuthEvent): AuditEntry {
  return {
    type: 'auth.event',
    actor: event.principal.slice(0, 128),
    data: {
      event: event.event,
      outcome: event.outcome,
      source: SOURCE.test(event.source) ? event.source : 'unknown',
      reason: event.reason !== undefined && REASON.test(event.reason) ? event.reason : undefined,
    },
  };
}

export function actionEntry(action: AuditAction): AuditEntry {
  return {
    type: 'api.action',
    actor: action.principal.slice(0, 128),
    ...(action.callId === undefined ? {} : { callId: action.callId }),
    ...(action.paymentId === undefined ? {} : { paymentId: action.paymentId }),
    data: { action: ACTION.test(action.action) ? action.action : 'unnamed', outcome: action.outcome },
  };
}

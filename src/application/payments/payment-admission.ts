import type { CaptureRejection } from '../../domain/capture/capture-commands.js';
import { GatewayError } from '../../errors.js';
import type { Call } from '../calls/call-registry.js';
import { checkRequest, type PaymentRequest } from './payment-request.js';
import { isCharge } from './processor-connector.js';

/** Why no new payment may start now, whatever the request. */
export type AdmissionRefusal = 'GW_ERR_AUDIT_WRITE' | 'GW_ERR_DTMF_SOCKET' | 'GW_ERR_OVERLOADED';

const ADMISSION_MESSAGES: Record<AdmissionRefusal, string> = {
  GW_ERR_AUDIT_WRITE: 'payments are paused: the audit log cannot be written',
  GW_ERR_DTMF_SOCKET: 'payments are paused: keypad digits can no longer be received',
  GW_ERR_OVERLOADED: 'the gateway is at capacity: no new payment starts now, try again in a moment',
};

/** Why the capture refused an agent's action, as the API says it (GW_ERR_PAYMENT_STATE). */
export const REJECTION_MESSAGES: Record<CaptureRejection, string> = {
  'not-in-progress': 'the payment is not in progress',
  'field-not-requested': 'the payment does not ask for that field',
  'fields-incomplete': 'not every requested field is captured yet',
};

/** Refuses any new payment or agent action once the gateway is stopping (retryable: another node may take it). */
export function refuseWhenStopping(stopping: boolean): void {
  if (stopping) throw new GatewayError('GW_ERR_STOPPING', 'the gateway is stopping', { retryable: true });
}

/** What decides whether a new payment may start on a call. */
export interface AdmissionCheck {
  readonly stopping: boolean;
  /** Asked after `stopping`: the gateway's own reason to refuse every new payment now, if any. */
  readonly refusal: (() => AdmissionRefusal | undefined) | undefined;
  /** The active call, or undefined when there is none by that id. */
  readonly call: Call | undefined;
  /** Throws GW_ERR_OTHER_GATEWAY for a call on another gateway's media chain (calls/chain-ownership.ts). */
  readonly checkChain?: ((call: Call) => void) | undefined;
  readonly request: PaymentRequest;
  /** The callback URL policy: throws GW_ERR_INVALID_BODY for a statusCallback the gateway may not call. */
  readonly checkCallback: ((url: string) => void) | undefined;
  readonly hasActivePayment: (callId: string) => boolean;
  /** Whether a charge on the call is still of unknown outcome (charge-ledger.ts). */
  readonly chargeInDoubt?: (callId: string) => boolean;
}

/**
 * Admits a new payment or throws the first reason it may not start, in this order: stopping, the
 * gateway's refusal, no such call, another gateway's call, tones not masked, a request the schema could not judge, a callback
 * the policy refuses, a payment already in progress on the call. Returns the call it starts on.
 */
export function admitPayment(check: AdmissionCheck): Call {
  refuseWhenStopping(check.stopping);
  const refusal = check.refusal?.();
  if (refusal) throw new GatewayError(refusal, ADMISSION_MESSAGES[refusal]);
  const { call, request } = check;
  if (!call) throw new GatewayError('GW_ERR_NOT_FOUND', 'no such active call');
  check.checkChain?.(call);
  if (call.masking !== 'on') {
    throw new GatewayError('GW_ERR_MASKING_OFF', "the call's keypad tones are not masked from the agent");
  }
  checkRequest(request);
  if (request.statusCallback !== undefined) check.checkCallback?.(request.statusCallback);
  if (check.hasActivePayment(call.id)) {
    throw new GatewayError('GW_ERR_PAYMENT_ACTIVE', 'the call already has a payment in progress');
  }
  if (isCharge(request) && check.chargeInDoubt?.(call.id)) {
    throw new GatewayError(
      'GW_ERR_CHARGE_IN_DOUBT',
      'an earlier charge on the call may have been made and is being checked with the processor',
    );
  }
  return call;
}

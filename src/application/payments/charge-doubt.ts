import { isGatewayError } from '../../errors.js';
import { isCharge, type TokeniseRequest } from './processor-connector.js';

/**
 * Whether a failed tokenisation may still have moved money. Only a charge can; and only a failure that
 * provably left the processor untouched rules it out: nothing sent (`notSent`: connection refused,
 * TLS refused, breaker open), the amount refused before sending, or a refusal the processor answered
 * before acting (a 4xx that is not "still in progress"). A timeout, a reset after sending, a 5xx, an
 * unreadable answer or an error of our own after sending: the charge is of unknown outcome.
 */
export function mayHaveCharged(request: Pick<TokeniseRequest, 'chargeAmount'>, error: unknown): boolean {
  if (!isCharge(request)) return false;
  if (!isGatewayError(error)) return true;
  if (error.notSent || error.code === 'GW_ERR_INVALID_AMOUNT') return false;
  return !(error.code === 'GW_ERR_PROCESSOR_REJECTED' && !error.retryable);
}

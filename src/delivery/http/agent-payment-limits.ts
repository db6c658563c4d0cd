import type { Principal } from '../../application/access/principal.js';
import type { PaymentRequest } from '../../application/payments/payment-service.js';
import type { AgentPaymentLimits } from '../../config/access-settings.js';
import { GatewayError } from '../../errors.js';

/** A decimal amount (`"10.5"`) in thousandths, exactly. */
function thousandths(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole) * 1000n + BigInt(fraction.padEnd(3, '0').slice(0, 3));
}

/**
 * Least privilege for people (PCI DSS 7.2): an agent starts a one-time payment of at most their own
 * `maxAmount` (users file, or the IdP token's max-amount claim) or else the configured one, in one of `currencies`; a payment from an
 * integration's order (orders-routes.ts) is not checked here; a reusable token and a status callback (where the token goes)
 * are for integrations, whose keys are not limited here. Refusals are GW_ERR_FORBIDDEN (a `role`
 * auth event).
 */
export function checkAgentPayment(
  principal: Principal | undefined,
  request: PaymentRequest,
  limits: AgentPaymentLimits,
): void {
  if (principal?.kind !== 'user') return;
  if (request.tokenType !== 'one-time')
    throw new GatewayError('GW_ERR_FORBIDDEN', 'a reusable token needs an integration key, not an agent');
  if (request.statusCallback !== undefined)
    throw new GatewayError('GW_ERR_FORBIDDEN', '"statusCallback" is set by an integration, not an agent');
  if (request.currency !== undefined && !limits.currencies.includes(request.currency))
    throw new GatewayError('GW_ERR_FORBIDDEN', '"currency" is not one agents may charge in');
  const maxAmount = agentMaxAmount(principal, limits);
  if (request.chargeAmount !== undefined && thousandths(request.chargeAmount) > thousandths(maxAmount))
    throw new GatewayError(
      'GW_ERR_FORBIDDEN',
      `"chargeAmount" is above your limit of ${maxAmount}; an integration's order can take it`,
    );
}

/** A person's limit per payment: their own (users file or IdP claim), else the configured one. */
export function agentMaxAmount(principal: Principal | undefined, limits: AgentPaymentLimits): string {
  return principal?.kind === 'user' && principal.maxAmount !== undefined
    ? principal.maxAmount
    : limits.maxAmount;
}

import { GatewayError } from '../../errors.js';

/** What a ledger throws when another request held the key first (IdempotencyLedger.hold). */
export function keyAlreadyHeld(): GatewayError {
  return new GatewayError(
    'GW_ERR_IDEMPOTENCY_CONFLICT',
    '"idempotencyKey" is held by a request that came first: retry to get its payment',
  );
}

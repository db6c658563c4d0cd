import type { LookupResult } from '../../application/payments/processor-connector.js';
import { GatewayError } from '../../errors.js';
import { errorReplySchema, LOOKUP } from './jwe-wire.js';
import { mapProcessorReply, safeVendorCode } from './map-processor-reply.js';

function errorCodeOf(body: string): string | undefined {
  try {
    const parsed = errorReplySchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.error.code : undefined;
  } catch {
    return undefined; // the parser's message quotes the input: dropped
  }
}

/**
 * Reads the answer to a lookup (`GET {url}/{key}`, docs/processor-protocol.md section 7):
 *   200 TokenReply → the result it was (success);   402 / card_error → the decline it was;
 *   202 → pending;   404 "no_such_request" or 410 "request_failed" → nothing was charged.
 * A 404 or 410 without its code is not taken for "nothing" (a processor without lookups answers a
 * plain 404; reading that as "no charge" could hide one): it is GW_ERR_PROCESSOR_PROTOCOL. Anything
 * else is read as a tokenise reply is (map-processor-reply.ts): 5xx, 408 and 429 are retryable errors.
 */
export function mapLookupReply(
  reply: { readonly status: number; readonly body: string },
  processor: string,
): LookupResult {
  const { status } = reply;
  if (status === LOOKUP.pendingStatus) return { found: 'pending' };
  if (status === LOOKUP.noSuchRequest.status || status === LOOKUP.requestFailed.status) {
    const code = errorCodeOf(reply.body);
    if (
      (status === LOOKUP.noSuchRequest.status && code === LOOKUP.noSuchRequest.code) ||
      (status === LOOKUP.requestFailed.status && code === LOOKUP.requestFailed.code)
    ) {
      return { found: 'nothing' };
    }
    const shown = safeVendorCode(code);
    throw new GatewayError(
      'GW_ERR_PROCESSOR_PROTOCOL',
      `processor "${processor}" answered a lookup with HTTP ${status}${shown ? ` (vendor code "${shown}")` : ''} but not "${status === 404 ? LOOKUP.noSuchRequest.code : LOOKUP.requestFailed.code}"`,
    );
  }
  return { found: 'result', result: mapProcessorReply(reply, processor) };
}

import type { DeclinedResult, ProcessorResult } from '../../application/payments/processor-connector.js';
import { GatewayError } from '../../errors.js';
import { errorReplySchema, tokenReplySchema } from './jwe-wire.js';

/** How one attempt at a processor failed, before any meaning is given to it. */
export type ProcessorFailure =
  | { readonly kind: 'timeout' }
  /**
   * No HTTP answer: connection refused or reset, DNS, TLS handshake. `code` is Node's error code.
   * `written`: whether any byte of the request may have reached the processor — false when the
   * connection failed before its TLS handshake completed on our side (nothing of the request was
   * written), true once it had, undefined when the transport cannot tell (the Stripe SDK).
   */
  | { readonly kind: 'network'; readonly code?: string; readonly written?: boolean; readonly cause?: unknown }
  /** An HTTP answer other than success, with the processor's own codes when it gave them. */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly vendorType?: string;
      readonly vendorCode?: string;
      readonly declineCode?: string;
    }
  /** An answer we could not read. `what` names the part, never its content. */
  | { readonly kind: 'malformed'; readonly what: string; readonly status?: number };

/** TLS failures that a retry cannot mend: certificates, trust, client-certificate refusal. */
const TLS_FAILURE = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;
/**
 * Network errors that can only happen before a connection exists, so before anything of the request
 * was written: connection refused, a name that does not resolve, and our own refusal of the
 * processor's certificate (the client checks it before it sends a byte of application data, in TLS
 * 1.2 and 1.3 alike). Not EHOSTUNREACH/ENETUNREACH/ECONNRESET, which an established socket can also
 * report after writing, nor a TLS alert from the server: under TLS 1.3 the client has already sent
 * its request when the server refuses its certificate.
 */
const BEFORE_CONNECTION =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|HOSTNAME_MISMATCH|ERR_TLS_CERT_ALTNAME_INVALID)$|^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

/** Whether a network failure provably left the processor untouched (GatewayError.notSent). */
export function networkFailureNotSent(failure: Extract<ProcessorFailure, { kind: 'network' }>): boolean {
  if (failure.written !== undefined) return !failure.written;
  return failure.code !== undefined && BEFORE_CONNECTION.test(failure.code);
}

/** 409 codes that mean "the same key is still being worked on": worth another try later. */
const IN_PROGRESS = new Set([
  'idempotency_key_in_use',
  'idempotency_request_in_progress',
  'lock_timeout',
  'request_in_progress',
]);

const DECLINE_REASONS: Readonly<Record<string, string>> = {
  card_declined: 'The card was declined.',
  generic_decline: 'The card was declined.',
  insufficient_funds: 'The card has insufficient funds.',
  expired_card: 'The card has expired.',
  incorrect_number: 'The card number is incorrect.',
  invalid_number: 'The card number is incorrect.',
  incorrect_cvc: 'The security code is incorrect.',
  invalid_cvc: 'The security code is incorrect.',
  invalid_expiry_month: 'The expiry date is invalid.',
  invalid_expiry_year: 'The expiry date is invalid.',
  incorrect_zip: 'The postal code does not match.',
  lost_card: 'The card was declined.',
  stolen_card: 'The card was declined.',
  fraudulent: 'The card was declined.',
  do_not_honor: 'The card was declined.',
  processing_error: 'The card could not be processed.',
  authentication_required: 'The card issuer requires authentication the call cannot give.',
};

/** A vendor code we may repeat in a message: a short identifier, never anything digit-heavy. */
export function safeVendorCode(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  return /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(code) && !/\d{5,}/.test(code) ? code : undefined;
}

export function declined(code: string | undefined): DeclinedResult {
  const declineCode = safeVendorCode(code) ?? 'card_declined';
  return {
    outcome: 'declined',
    declineCode,
    reason: DECLINE_REASONS[declineCode] ?? 'The card was declined.',
  };
}

/**
 * THE mapping of processor failures to meaning, for every connector: a decline becomes a result,
 * everything else a typed GatewayError with `retryable` set as the retry policy needs it, and
 * `notSent` only on a network failure that provably happened before the request was written (never
 * on a timeout, a reset after writing, an HTTP status or an unreadable reply).
 */
export function classifyFailure(failure: ProcessorFailure, processor: string): DeclinedResult | GatewayError {
  const who = `processor "${processor}"`;
  switch (failure.kind) {
    case 'timeout':
      return new GatewayError('GW_ERR_PROCESSOR_TIMEOUT', `${who} did not answer in time`, {
        retryable: true,
      });
    case 'network': {
      const code = safeVendorCode(failure.code);
      const tls = code !== undefined && TLS_FAILURE.test(code);
      return new GatewayError(
        'GW_ERR_PROCESSOR_UNAVAILABLE',
        `${who} could not be reached${tls ? ' (TLS handshake refused)' : ''}${code ? ` [${code}]` : ''}`,
        { retryable: !tls, cause: failure.cause, notSent: networkFailureNotSent(failure) },
      );
    }
    case 'malformed':
      return new GatewayError(
        'GW_ERR_PROCESSOR_PROTOCOL',
        `${who} sent an unreadable ${failure.what}${failure.status ? ` (HTTP ${failure.status})` : ''}`,
      );
    case 'status':
      return classifyStatus(failure, who);
  }
}

function classifyStatus(failure: Extract<ProcessorFailure, { kind: 'status' }>, who: string) {
  const { status } = failure;
  const vendorCode = safeVendorCode(failure.vendorCode);
  const detail = `answered HTTP ${status}${vendorCode ? ` (vendor code "${vendorCode}")` : ''}`;
  if (failure.vendorType === 'card_error' || (status === 402 && failure.declineCode !== undefined)) {
    return declined(failure.declineCode || failure.vendorCode);
  }
  if (status === 429) {
    return new GatewayError('GW_ERR_PROCESSOR_RATE_LIMITED', `${who} ${detail}`, { retryable: true });
  }
  if (status === 408) {
    return new GatewayError('GW_ERR_PROCESSOR_TIMEOUT', `${who} ${detail}`, { retryable: true });
  }
  if (status >= 500 && status <= 599) {
    return new GatewayError('GW_ERR_PROCESSOR_UNAVAILABLE', `${who} ${detail}`, { retryable: true });
  }
  if (status >= 400 && status <= 499) {
    const retryable = status === 409 && vendorCode !== undefined && IN_PROGRESS.has(vendorCode);
    return new GatewayError('GW_ERR_PROCESSOR_REJECTED', `${who} ${detail}`, { retryable });
  }
  return new GatewayError('GW_ERR_PROCESSOR_PROTOCOL', `${who} ${detail}, which was not expected`);
}

/**
 * Reads one HTTP reply of the generic JWE processor protocol: 200 → the token (zod-parsed), anything
 * else → classifyFailure. Resolves a decline; throws the GatewayError of a failure.
 */
export function mapProcessorReply(
  reply: { readonly status: number; readonly body: string },
  processor: string,
): ProcessorResult {
  const json = parseJson(reply.body);
  if (reply.status === 200) {
    const parsed = tokenReplySchema.safeParse(json);
    if (!parsed.success) throw classifyFailure({ kind: 'malformed', what: 'token reply' }, processor);
    const { token, last4, brand, chargeId, confirmationCode } = parsed.data;
    return {
      outcome: 'success',
      token,
      last4,
      ...(brand === undefined ? {} : { brand }),
      ...(chargeId === undefined ? {} : { chargeId }),
      ...(confirmationCode === undefined ? {} : { confirmationCode }),
    };
  }
  const parsed = errorReplySchema.safeParse(json);
  const error = parsed.success ? parsed.data.error : {};
  const outcome = classifyFailure(
    {
      kind: 'status',
      status: reply.status,
      ...(error.type === undefined ? {} : { vendorType: error.type }),
      ...(error.code === undefined ? {} : { vendorCode: error.code }),
      ...(error.declineCode === undefined ? {} : { declineCode: error.declineCode }),
    },
    processor,
  );
  if (outcome instanceof GatewayError) throw outcome;
  return outcome;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The parser's message quotes the input; it is dropped on purpose.
    return undefined;
  }
}

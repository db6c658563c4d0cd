/**
 * The one error type of the gateway. Callers match on `code`; messages name a field, never its value.
 * Every code is listed, with its meaning and HTTP status, in docs/error-codes.md (a test keeps the two in step).
 */
export const ERROR_CODES = [
  'GW_ERR_CONFIG',
  'GW_ERR_INVALID_BODY',
  'GW_ERR_UNAUTHORIZED',
  'GW_ERR_FORBIDDEN',
  'GW_ERR_NOT_FOUND',
  'GW_ERR_INTERNAL',
  'GW_ERR_NG_TIMEOUT',
  'GW_ERR_NG_ERROR',
  'GW_ERR_NG_PROTOCOL',
  'GW_ERR_NG_CLOSED',
  'GW_ERR_DTMF_MALFORMED',
  'GW_ERR_DTMF_SOURCE',
  'GW_ERR_SIP_EVENT_MALFORMED',
  'GW_ERR_KAMAILIO_RPC',
  'GW_ERR_PAYMENT_ACTIVE',
  'GW_ERR_PAYMENT_STATE',
  'GW_ERR_IDEMPOTENCY_CONFLICT',
  'GW_ERR_PROMPT',
  'GW_ERR_WEBHOOK_DELIVERY',
  'GW_ERR_INVALID_AMOUNT',
  'GW_ERR_PROCESSOR_TIMEOUT',
  'GW_ERR_PROCESSOR_UNAVAILABLE',
  'GW_ERR_PROCESSOR_RATE_LIMITED',
  'GW_ERR_PROCESSOR_REJECTED',
  'GW_ERR_PROCESSOR_PROTOCOL',
  'GW_ERR_RATE_LIMITED',
  'GW_ERR_CSRF',
  'GW_ERR_USERS_FILE',
  'GW_ERR_IDP_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface GatewayErrorOptions {
  retryable?: boolean;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

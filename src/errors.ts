/**
 * The one error type of the gateway. Callers match on `code`; messages name a field, never its value.
 * Every code is listed, with its meaning and HTTP status, in docs/error-codes.md (a test keeps the two in step).
 */
/**
 * Every code, with the HTTP status the API answers it with (undefined: the code is logged but never
 * answered as such; it becomes a 500 if it reaches the error handler).
 */
export const ERROR_STATUS = {
  GW_ERR_CONFIG: undefined,
  GW_ERR_INVALID_BODY: 400,
  GW_ERR_UNAUTHORIZED: 401,
  GW_ERR_FORBIDDEN: 403,
  GW_ERR_NOT_FOUND: 404,
  GW_ERR_INTERNAL: 500,
  GW_ERR_NG_TIMEOUT: undefined,
  GW_ERR_NG_ERROR: undefined,
  GW_ERR_NG_PROTOCOL: undefined,
  GW_ERR_NG_CLOSED: undefined,
  GW_ERR_DTMF_MALFORMED: undefined,
  GW_ERR_DTMF_SOURCE: undefined,
  GW_ERR_DTMF_SOCKET: 503,
  GW_ERR_DTMF_REPORT_PATH: undefined,
  GW_ERR_SIP_EVENT_MALFORMED: undefined,
  GW_ERR_KAMAILIO_RPC: undefined,
  GW_ERR_CALL_CONTROL: 503,
  GW_ERR_PAYMENT_ACTIVE: 409,
  GW_ERR_PAYMENT_STATE: 409,
  GW_ERR_IDEMPOTENCY_CONFLICT: 409,
  GW_ERR_ORDER_STATE: 409,
  GW_ERR_CHARGE_IN_DOUBT: 409,
  GW_ERR_OTHER_GATEWAY: 421,
  GW_ERR_PROMPT: undefined,
  GW_ERR_MASKING: undefined,
  GW_ERR_WEBHOOK_DELIVERY: undefined,
  GW_ERR_INVALID_AMOUNT: 400,
  GW_ERR_PROCESSOR_TIMEOUT: undefined,
  GW_ERR_PROCESSOR_UNAVAILABLE: undefined,
  GW_ERR_PROCESSOR_RATE_LIMITED: undefined,
  GW_ERR_PROCESSOR_REJECTED: undefined,
  GW_ERR_PROCESSOR_PROTOCOL: undefined,
  GW_ERR_RATE_LIMITED: 429,
  GW_ERR_CSRF: 403,
  GW_ERR_MFA_REQUIRED: 401,
  GW_ERR_MFA_FAILED: 401,
  GW_ERR_MFA_ENROL: 401,
  GW_ERR_MFA_ENROLLED: 409,
  GW_ERR_ACCOUNT_LOCKED: 403,
  GW_ERR_USERS_FILE: undefined,
  GW_ERR_IDP_UNAVAILABLE: 503,
  GW_ERR_AUDIT_KEY: undefined,
  GW_ERR_AUDIT_LOG: undefined,
  GW_ERR_AUDIT_WRITE: 503,
  GW_ERR_AUDIT_SHIP: undefined,
  GW_ERR_AUDIT_SIGNER: undefined,
  GW_ERR_AUDIT_SHIPPED_COPY: undefined,
  GW_ERR_MASKING_OFF: 409,
  GW_ERR_STOPPING: 503,
  GW_ERR_STATE_STORE: 503,
  GW_ERR_OVERLOADED: 503,
} as const satisfies Record<string, number | undefined>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_STATUS[code] ?? 500;
}

export interface GatewayErrorOptions {
  retryable?: boolean;
  cause?: unknown;
  /**
   * A processor failure that provably left the processor untouched: nothing reached it (connection
   * refused, name not found, TLS handshake refused, circuit breaker open). Without it, a failed
   * charge may have been made (application/payments/charge-doubt.ts).
   */
  notSent?: boolean;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly notSent: boolean;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.notSent = options.notSent ?? false;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

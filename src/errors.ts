/**
 * The one error type of the gateway. Callers match on `code`; messages name a field, never its value.
 * Every code is listed in docs/error-codes.md (a test keeps the two in step).
 */
export const ERROR_CODES = {
  GW_ERR_CONFIG: 'A configuration setting is missing or invalid.',
  GW_ERR_INVALID_BODY: 'An API request body failed validation.',
  GW_ERR_UNAUTHORIZED: 'The request carries no valid credentials.',
  GW_ERR_FORBIDDEN: 'The credentials do not allow this action.',
  GW_ERR_NOT_FOUND: 'The addressed resource does not exist or is not visible to the caller.',
  GW_ERR_INTERNAL: 'An unexpected failure; the response carries a request id to find the log line.',
  GW_ERR_NG_TIMEOUT: 'rtpengine did not answer an NG request in time, after all retries.',
  GW_ERR_NG_ERROR: 'rtpengine answered an NG request with result "error".',
  GW_ERR_NG_PROTOCOL: 'An NG reply could not be decoded.',
  GW_ERR_NG_CLOSED: 'The NG client was closed while the request was pending.',
  GW_ERR_DTMF_MALFORMED: 'A DTMF event datagram failed validation; it is dropped.',
  GW_ERR_DTMF_SOURCE: 'A DTMF event datagram came from an address outside the allow-list; it is dropped.',
  GW_ERR_SIP_EVENT_MALFORMED: 'A call event from Kamailio failed validation; it is dropped.',
  GW_ERR_KAMAILIO_RPC: 'A JSON-RPC request to Kamailio failed.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

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

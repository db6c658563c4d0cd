import type { ErrorRequestHandler, RequestHandler } from 'express';
import { type ErrorCode, GatewayError, httpStatusOf, isGatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { AuthEvents } from './auth-events.js';
import { loggedPath, requestIdOf } from './request-id.js';

/**
 * How long a client should wait before trying again after a 503 (the `Retry-After` header, seconds).
 * Every code the API answers with 503 (src/errors.ts) has an entry; a test keeps them in step.
 */
export const RETRY_AFTER_SECONDS: Readonly<Partial<Record<ErrorCode, number>>> = {
  // a stopping gateway is replaced or restarted within seconds
  GW_ERR_STOPPING: 5,
  GW_ERR_IDP_UNAVAILABLE: 5,
  // the audit log or the DTMF socket needs an operator: retrying often helps nobody
  GW_ERR_AUDIT_WRITE: 30,
  GW_ERR_DTMF_SOCKET: 30,
  // Kamailio restarting, or busy: a call's agent can be named again in a moment
  GW_ERR_CALL_CONTROL: 5,
  // the shared state store (Redis) did not answer in time or refused: it is restarting or unreachable
  GW_ERR_STATE_STORE: 5,
  // back-pressure: the load that refused it passes, or another gateway takes it
  GW_ERR_OVERLOADED: 5,
};

/**
 * The API's only error shape: `{error: {code, message}}`. A 4xx or a documented 503 refusal says
 * what it is (a 503 with `Retry-After`); anything else is a 500 that carries the request id, never
 * the cause.
 */
export function errorHandler(logger: Logger, authEvents?: AuthEvents): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const known = clientError(error) ?? (isGatewayError(error) ? error : undefined);
    if (known) authEvents?.refusal(request, response, known.code);
    const status = known ? httpStatusOf(known.code) : 500;
    const requestId = requestIdOf(response);
    const retryAfter = known ? RETRY_AFTER_SECONDS[known.code] : undefined;
    if (known && status === 503 && retryAfter !== undefined) {
      logger.warn(
        { err: error, requestId, method: request.method, path: loggedPath(request.path) },
        known.code === 'GW_ERR_IDP_UNAVAILABLE' ? 'identity provider unavailable' : 'request refused',
      );
      response
        .status(503)
        .setHeader('retry-after', String(retryAfter))
        .json({ error: { code: known.code, message: known.message } });
      return;
    }
    if (known && status < 500) {
      response.status(status).json({ error: { code: known.code, message: known.message } });
      return;
    }
    logger.error(
      { err: error, requestId, method: request.method, path: loggedPath(request.path) },
      'request failed',
    );
    response
      .status(500)
      .json({ error: { code: 'GW_ERR_INTERNAL', message: `internal error; request id ${requestId}` } });
  };
}

export const notFoundHandler: RequestHandler = (_request, _response, next) => {
  next(new GatewayError('GW_ERR_NOT_FOUND', 'no such resource'));
};

const BODY_ERRORS: Readonly<Record<string, string>> = {
  'entity.too.large': 'request body is too large',
  'encoding.unsupported': 'request body must not be compressed',
  'charset.unsupported': 'request body must be UTF-8',
};

/**
 * Errors express and its parsers raise for a bad request become API errors without the input:
 * express.json() (bad JSON, too large, compressed, wrong charset) and the router (a path parameter
 * that is not valid percent-encoding) carry a 4xx `status`.
 */
function clientError(error: unknown): GatewayError | undefined {
  if (typeof error !== 'object' || error === null || isGatewayError(error)) return undefined;
  const { type, status } = error as { type?: unknown; status?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (typeof type === 'string') {
    return new GatewayError('GW_ERR_INVALID_BODY', BODY_ERRORS[type] ?? 'request body is not valid JSON');
  }
  if (status === 404) return new GatewayError('GW_ERR_NOT_FOUND', 'no such resource');
  if (error instanceof URIError) return new GatewayError('GW_ERR_NOT_FOUND', 'no such resource');
  return new GatewayError('GW_ERR_INVALID_BODY', 'the request is malformed');
}

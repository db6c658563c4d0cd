import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { GatewayError, httpStatusOf, isGatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';

/** The API's only error shape: `{error: {code, message}}`; a 500 carries a request id, never the cause. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const known = clientError(error) ?? (isGatewayError(error) ? error : undefined);
    const status = known ? httpStatusOf(known.code) : 500;
    if (known?.code === 'GW_ERR_IDP_UNAVAILABLE') {
      logger.warn(
        { err: error, method: request.method, path: request.path },
        'identity provider unavailable',
      );
      response.status(503).json({ error: { code: known.code, message: known.message } });
      return;
    }
    if (known && status < 500) {
      response.status(status).json({ error: { code: known.code, message: known.message } });
      return;
    }
    const requestId = randomUUID();
    logger.error({ err: error, requestId, method: request.method, path: request.path }, 'request failed');
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

import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { GatewayError, httpStatusOf, isGatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';

/** The API's only error shape: `{error: {code, message}}`; a 500 carries a request id, never the cause. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const bodyError = bodyParserError(error);
    const known = bodyError ?? (isGatewayError(error) ? error : undefined);
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

/** express.json() errors (bad JSON, too large, wrong charset) become GW_ERR_INVALID_BODY without the body. */
function bodyParserError(error: unknown): GatewayError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status } = error as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number' || status >= 500) return undefined;
  const reason = type === 'entity.too.large' ? 'request body is too large' : 'request body is not valid JSON';
  return new GatewayError('GW_ERR_INVALID_BODY', reason);
}

import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Clock } from '../../application/clock.js';
import { type Logger, maskDigitRuns } from '../../logger.js';

const INCOMING_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The request's id (set by `requestId` before any route runs). */
export function requestIdOf(response: Response): string {
  const id: unknown = response.locals.requestId;
  return typeof id === 'string' ? id : 'unknown';
}

/**
 * Every response carries `X-Request-Id`: the caller's, when it is 1–64 of [A-Za-z0-9-], else a new
 * UUID. One log line per request when it ends (method, path, status, time, request id; no headers, no
 * query, no body; digit runs in the path masked), so a client's id finds the line, and a 500's
 * message finds its error line.
 */
export function requestId(logger: Logger, clock: Clock): RequestHandler {
  return (request, response, next) => {
    const incoming = request.get('x-request-id');
    const id = incoming !== undefined && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    response.locals.requestId = id;
    response.setHeader('x-request-id', id);
    const started = clock.monotonic();
    response.once('finish', () => {
      logger.info(
        {
          requestId: id,
          method: request.method,
          // a path is client input: a card number keyed into a URL must not reach the log
          path: loggedPath(request.path),
          status: response.statusCode,
          ms: Math.round((clock.monotonic() - started) * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}

/** The path as logged: digit runs of 12 or more masked, at most 200 characters. */
export function loggedPath(path: string): string {
  return maskDigitRuns(path.slice(0, 200));
}

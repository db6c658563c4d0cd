import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { GatewayError } from '../../errors.js';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * True when the request says it comes from this very origin, or says nothing (non-browser clients).
 * Browsers send `Origin` on every POST/DELETE and `Sec-Fetch-Site` on every request.
 */
export function sameOrigin(request: Request): boolean {
  const site = request.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.get('origin');
  // request.host: the Host header, or X-Forwarded-Host from a trusted proxy (TONEWALL_TRUST_PROXY)
  return origin === undefined || origin === `${request.protocol}://${request.host}`;
}

/**
 * CSRF defence for cookie sessions (synchronizer token): every state-changing request authenticated
 * by the session cookie must carry that session's token in `X-CSRF-Token` and come from this origin.
 * Bearer requests carry no ambient credential and are exempt. SameSite=Strict is a second layer.
 */
export const csrfProtection: RequestHandler = (request, response, next) => {
  const held = response.locals.session;
  if (held === undefined || SAFE_METHODS.has(request.method)) {
    next();
    return;
  }
  const presented = Buffer.from(request.get(CSRF_HEADER) ?? '', 'utf8');
  const expected = Buffer.from(held.session.csrfToken, 'utf8');
  const tokenOk = presented.length === expected.length && timingSafeEqual(presented, expected);
  if (!tokenOk || !sameOrigin(request)) {
    next(
      new GatewayError('GW_ERR_CSRF', `"${CSRF_HEADER}" header missing or wrong, or cross-origin request`),
    );
    return;
  }
  next();
};

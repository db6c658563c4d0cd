import type { RequestHandler } from 'express';
import type { Principal } from '../../application/access/principal.js';
import { GatewayError } from '../../errors.js';
import { readCookie, sessionCookieName } from './cookies.js';
import type { HttpAccess } from './http-access.js';
import type { Session } from './session-store.js';

declare global {
  namespace Express {
    interface Locals {
      principal?: Principal;
      /** Set when the request was authenticated by the session cookie (CSRF rules apply). */
      session?: { id: string; session: Session };
    }
  }
}

/** Requests the page makes on its own (polling) say so, and do not count as the user being active. */
export const BACKGROUND_HEADER = 'x-tonewall-background';

/**
 * Who is calling, from `Authorization: Bearer <integration key | IdP JWT>` or else the session
 * cookie. A request with an Authorization header is judged by that header alone. Sign-in itself
 * (`POST /v1/session`, and `POST /v1/session/authenticator` to enrol) passes through unauthenticated.
 */
export function authenticate(access: HttpAccess): RequestHandler {
  const cookieName = sessionCookieName(access.secureCookies);
  return async (request, response, next) => {
    if (
      request.method === 'POST' &&
      (request.path === '/session' || request.path === '/session/authenticator')
    ) {
      next();
      return;
    }
    const header = request.get('authorization');
    if (header !== undefined) {
      response.locals.principal = await bearerPrincipal(access, header);
      next();
      return;
    }
    const id = readCookie(request.get('cookie'), cookieName);
    const session =
      id === undefined ? undefined : access.sessions.get(id, { touch: !request.get(BACKGROUND_HEADER) });
    if (id === undefined || session === undefined) {
      throw new GatewayError(
        'GW_ERR_UNAUTHORIZED',
        id === undefined ? 'sign in first' : 'the session has ended; sign in again',
      );
    }
    response.locals.principal = session.principal;
    response.locals.session = { id, session };
    next();
  };
}

async function bearerPrincipal(access: HttpAccess, header: string): Promise<Principal> {
  const match = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(header);
  const token = match?.[1];
  if (token === undefined) throw new GatewayError('GW_ERR_UNAUTHORIZED', 'missing or malformed bearer token');
  const integration = token.length <= 512 ? access.integrationKeys.match(token) : undefined;
  if (integration?.found) return integration.principal;
  if (integration?.expired !== undefined)
    throw new GatewayError('GW_ERR_UNAUTHORIZED', `integration key "${integration.expired}" has expired`);
  if (access.jwt?.looksLikeToken(token)) return access.jwt.verify(token);
  throw new GatewayError('GW_ERR_UNAUTHORIZED', 'unknown bearer token');
}

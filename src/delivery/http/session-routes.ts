import express, { type Response, Router } from 'express';
import { z } from 'zod';
import type { Principal } from '../../application/access/principal.js';
import { GatewayError } from '../../errors.js';
import type { AuthEvents } from './auth-events.js';
import { principalOf } from './authorize.js';
import { sessionCookie, sessionCookieName } from './cookies.js';
import { sameOrigin } from './csrf.js';
import type { HttpAccess } from './http-access.js';
import { parseBody } from './parse-body.js';
import { signInLimiters } from './sign-in-limiter.js';

const signInSchema = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) })
  .strict();

/** What the page learns about who signed in: never a password hash, never a token. */
export function principalView(principal: Principal) {
  if (principal.kind === 'integration') return { kind: 'integration', name: principal.name, roles: [] };
  return {
    kind: 'user',
    name: principal.subject,
    displayName: principal.displayName,
    roles: principal.roles,
    ...(principal.agentId === undefined ? {} : { agentId: principal.agentId }),
    source: principal.source,
  };
}

/**
 * `POST /v1/session` signs in with the local users file and sets the session cookie; `GET` says who
 * is signed in and gives the CSRF token; `DELETE` signs out. Sign-in is throttled and same-origin only.
 */
export function sessionRoutes(access: HttpAccess, authEvents: AuthEvents): Router {
  const router = Router();
  const cookieName = sessionCookieName(access.secureCookies);
  const describe = (response: Response) => {
    const principal = principalOf(response);
    const held = response.locals.session;
    return {
      user: principalView(principal),
      csrfToken: held?.session.csrfToken ?? null,
      expiresAt: held ? new Date(access.sessions.expiresAt(held.session)).toISOString() : null,
    };
  };

  router.post(
    '/v1/session',
    express.json({ limit: '4kb', strict: true, inflate: false }),
    (request, _response, next) => {
      if (!sameOrigin(request)) throw new GatewayError('GW_ERR_CSRF', 'cross-origin sign-in refused');
      if (!request.is('application/json'))
        throw new GatewayError('GW_ERR_INVALID_BODY', 'sign-in takes JSON');
      if (!access.users)
        throw new GatewayError('GW_ERR_NOT_FOUND', 'local sign-in is off; use your identity provider');
      next();
    },
    ...signInLimiters(access.signIn),
    async (request, response) => {
      const { username, password } = parseBody(signInSchema, request.body);
      const result = await access.users?.signIn(username, password);
      if (!result?.ok) {
        authEvents.signInFailed(request, response, {
          reason: result?.reason ?? 'local-sign-in-off',
          ...(result?.user === undefined ? {} : { user: result.user }),
        });
        throw new GatewayError('GW_ERR_UNAUTHORIZED', 'user name or password is wrong');
      }
      const { principal } = result;
      const { id, session } = access.sessions.create(principal);
      response.locals.principal = principal;
      response.locals.session = { id, session };
      try {
        await authEvents.allowed(request, response, 'sign-in');
      } catch (error) {
        // no sign-in without its audit record
        access.sessions.destroy(id);
        throw error;
      }
      response.setHeader(
        'set-cookie',
        sessionCookie({ name: cookieName, value: id, secure: access.secureCookies }),
      );
      response.status(201).json(describe(response));
    },
  );

  router.get('/v1/session', (_request, response) => {
    response.json(describe(response));
  });

  router.delete('/v1/session', async (request, response) => {
    const held = response.locals.session;
    if (held) {
      access.sessions.destroy(held.id);
      await authEvents.allowed(request, response, 'sign-out');
    }
    response.setHeader(
      'set-cookie',
      sessionCookie({ name: cookieName, value: '', secure: access.secureCookies, maxAgeMs: 0 }),
    );
    response.status(204).end();
  });

  return router;
}

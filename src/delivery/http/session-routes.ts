import express, { type Handler, type Request, type Response, Router } from 'express';
import type { Principal } from '../../application/access/principal.js';
import type { SignInRefusal, SignInResult } from '../../application/access/user-directory.js';
import { GatewayError } from '../../errors.js';
import { agentMaxAmount } from './agent-payment-limits.js';
import { enrolmentRequestSchema, signInSchema } from './api-schemas.js';
import type { AuthEvents } from './auth-events.js';
import { principalOf } from './authorize.js';
import { sessionCookie, sessionCookieName } from './cookies.js';
import { sameOrigin } from './csrf.js';
import type { HttpAccess } from './http-access.js';
import { parseBody } from './parse-body.js';
import { signInLimiters } from './sign-in-limiter.js';

/** What a refused sign-in answers: the same words for a wrong password and a user that does not exist. */
function refusalError(reason: SignInRefusal | 'local-sign-in-off'): GatewayError {
  switch (reason) {
    case 'code-required':
      return new GatewayError('GW_ERR_MFA_REQUIRED', 'enter the code from your authenticator app');
    case 'wrong-code':
      return new GatewayError('GW_ERR_MFA_FAILED', 'the code is wrong or was used already');
    case 'enrolment-required':
      return new GatewayError('GW_ERR_MFA_ENROL', 'set up an authenticator app first');
    case 'locked':
      return new GatewayError(
        'GW_ERR_ACCOUNT_LOCKED',
        'this account is locked after too many failed sign-ins; try again later or ask an administrator',
      );
    default:
      return new GatewayError('GW_ERR_UNAUTHORIZED', 'user name or password is wrong');
  }
}

/** Records a refused sign-in or enrolment (auth events) and throws its answer. */
function refuse(
  authEvents: AuthEvents,
  request: Request,
  response: Response,
  result: Extract<SignInResult, { ok: false }> | undefined,
): never {
  const reason = result?.reason ?? 'local-sign-in-off';
  authEvents.signInFailed(request, response, {
    reason,
    ...(result?.user === undefined ? {} : { user: result.user }),
    ...(result?.lockedNow ? { lockedNow: true } : {}),
  });
  throw refusalError(reason);
}

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
      mfa: access.users?.mfaRequired === false ? ('off' as const) : ('required' as const),
      ...(principal.kind === 'user'
        ? {
            paymentLimits: {
              maxAmount: agentMaxAmount(principal, access.agentLimits),
              currencies: access.agentLimits.currencies.map((code) => code.toUpperCase()),
            },
          }
        : {}),
    };
  };

  const localSignInOnly: Handler = (request, _response, next) => {
    if (!sameOrigin(request)) throw new GatewayError('GW_ERR_CSRF', 'cross-origin sign-in refused');
    if (!request.is('application/json')) throw new GatewayError('GW_ERR_INVALID_BODY', 'sign-in takes JSON');
    if (!access.users)
      throw new GatewayError('GW_ERR_NOT_FOUND', 'local sign-in is off; use your identity provider');
    next();
  };
  const json = express.json({ limit: '4kb', strict: true, inflate: false });
  const limiters = signInLimiters(access.signIn);
  // a throttled attempt's record names the user it was aimed at, when that user exists (never a
  // name that does not: it may be a password typed in the wrong box)
  const nameTheUser: express.RequestHandler = (request, response, next) => {
    const body = request.body as { username?: unknown } | undefined;
    const name = typeof body?.username === 'string' ? body.username.normalize('NFC').toLowerCase() : '';
    if (name === '' || name.length > 64 || !access.users) return next();
    access.users.isActive(name).then(
      (exists) => {
        if (exists) response.locals.signInUser = name;
        next();
      },
      () => next(),
    );
  };

  router.post('/v1/session', json, localSignInOnly, nameTheUser, ...limiters, async (request, response) => {
    const { username, password, code } = parseBody(signInSchema, request.body);
    const result = await access.users?.signIn(username, password, code);
    if (!result?.ok) refuse(authEvents, request, response, result);
    const { principal } = result;
    if (result.enrolled && principal.kind === 'user')
      await authEvents.enrolment(request, response, principal.subject, 'confirmed');
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
  });

  // A user without an authenticator gets a new secret after their password; their next sign-in with
  // a code from it enrols it. Throttled like sign-in, and a wrong password counts the same.
  router.post(
    '/v1/session/authenticator',
    json,
    localSignInOnly,
    nameTheUser,
    ...limiters,
    async (request, response) => {
      const { username, password } = parseBody(enrolmentRequestSchema, request.body);
      const result = await access.users?.startEnrolment(username, password);
      if (!result?.ok) {
        if (result?.reason === 'already-enrolled') {
          authEvents.signInFailed(request, response, { reason: 'already-enrolled', user: result.user });
          throw new GatewayError(
            'GW_ERR_MFA_ENROLLED',
            'an authenticator is already set up; an administrator can reset it',
          );
        }
        refuse(authEvents, request, response, result);
      }
      await authEvents.enrolment(request, response, result.user, 'offered');
      response.status(201).json({
        secret: result.secret,
        uri: result.uri,
        expiresAt: new Date(result.expiresAt).toISOString(),
      });
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

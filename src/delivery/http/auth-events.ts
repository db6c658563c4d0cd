import type { Request, Response } from 'express';
import type { AuthEvent } from '../../domain/audit/audit-entries.js';
import type { ErrorCode } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { principalName } from './audit-actions.js';
import { loggedPath, requestIdOf } from './request-id.js';

/** Records an authentication or authorisation event in the audit trail (AuditTrail.recordAuth). */
export type RecordAuth = (event: AuthEvent) => Promise<void>;

/**
 * Every authentication and authorisation event becomes a log line (who, from where, what, outcome,
 * why; never a password, a token or a user name that does not exist) and an audit record. A success
 * is acknowledged only once its record is on disk; a refusal is answered at once, its record follows.
 */
export class AuthEvents {
  readonly #logger: Logger;
  readonly #record: RecordAuth | undefined;

  constructor(options: { logger: Logger; record?: RecordAuth }) {
    this.#logger = options.logger;
    this.#record = options.record;
  }

  /** A success (sign-in, sign-out): logged, and resolves once its record is on disk. */
  async allowed(request: Request, response: Response, event: AuthEvent['event']): Promise<void> {
    const entry: AuthEvent = {
      principal: principalName(response.locals.principal),
      event,
      outcome: 'allowed',
      source: sourceOf(request),
    };
    this.#log(request, response, entry);
    await this.#record?.(entry);
  }

  /**
   * A local sign-in refused: `user` only when it exists. A wrong one-time code is an `mfa` failure; a
   * failure that locked the account is followed by a `lock-out` record.
   */
  signInFailed(
    request: Request,
    response: Response,
    failure: { reason: string; user?: string; lockedNow?: boolean },
  ): void {
    const principal = failure.user === undefined ? 'anonymous' : `user:${failure.user}`;
    this.#refused(request, response, {
      principal,
      event: failure.reason === 'wrong-code' ? 'mfa' : 'sign-in',
      outcome: failure.reason === 'locked' ? 'denied' : 'failed',
      source: sourceOf(request),
      reason: failure.reason,
    });
    if (failure.lockedNow) {
      this.#refused(request, response, {
        principal,
        event: 'lock-out',
        outcome: 'denied',
        source: sourceOf(request),
        reason: 'too-many-failures',
      });
    }
  }

  /** An authenticator offered to a user (`offered`) or confirmed by their first code (`confirmed`). */
  async enrolment(request: Request, response: Response, user: string, step: 'offered' | 'confirmed') {
    const entry: AuthEvent = {
      principal: `user:${user}`,
      event: 'mfa-enrolment',
      outcome: 'allowed',
      source: sourceOf(request),
      reason: step,
    };
    this.#log(request, response, entry);
    await this.#record?.(entry);
  }

  /** An open event stream closed because the session or token behind it ended (`why`: a word). */
  streamClosed(request: Request, response: Response, why: string): void {
    this.#refused(request, response, {
      principal: principalName(response.locals.principal),
      event: 'stream',
      outcome: 'denied',
      source: sourceOf(request),
      reason: why,
    });
  }

  /** An API error: an authentication or authorisation refusal becomes an event; others are not. */
  refusal(request: Request, response: Response, code: ErrorCode): void {
    const event = refusedEvent(request, response, code);
    if (event) this.#refused(request, response, event);
  }

  #refused(request: Request, response: Response, entry: AuthEvent): void {
    this.#log(request, response, entry);
    this.#record?.(entry).catch(() => {
      // the audit trail logs its own failures (and then refuses new payments)
    });
  }

  #log(request: Request, response: Response, entry: AuthEvent): void {
    const fields = {
      event: entry.event,
      outcome: entry.outcome,
      principal: entry.principal,
      source: entry.source,
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
      requestId: requestIdOf(response),
      method: request.method,
      path: loggedPath(request.path),
    };
    if (entry.outcome === 'allowed') this.#logger.info(fields, 'auth event');
    else this.#logger.warn(fields, 'auth event refused');
  }
}

/** The event an error code stands for on this request, if it is an authentication or authorisation refusal. */
function refusedEvent(request: Request, response: Response, code: ErrorCode): AuthEvent | undefined {
  const base = {
    principal: principalName(response.locals.principal),
    source: sourceOf(request),
    reason: code,
  };
  const signIn =
    request.method === 'POST' &&
    (request.path === '/v1/session' || request.path === '/v1/session/authenticator');
  switch (code) {
    case 'GW_ERR_RATE_LIMITED': {
      if (!signIn) return undefined;
      const user = response.locals.signInUser as string | undefined;
      return {
        ...base,
        ...(user === undefined ? {} : { principal: `user:${user}` }),
        event: 'sign-in',
        outcome: 'throttled',
      };
    }
    case 'GW_ERR_UNAUTHORIZED':
      // a refused local sign-in is recorded by its route, with the reason
      if (signIn) return undefined;
      return {
        ...base,
        event: request.get('authorization') === undefined ? 'session' : 'bearer',
        outcome: 'denied',
      };
    case 'GW_ERR_FORBIDDEN':
      return { ...base, event: 'role', outcome: 'denied' };
    case 'GW_ERR_CSRF':
      return { ...base, event: 'csrf', outcome: 'denied' };
    default:
      return undefined;
  }
}

function sourceOf(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}

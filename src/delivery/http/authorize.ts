import type { Response } from 'express';
import { hasRole, type Principal, type Role, type Scope } from '../../application/access/principal.js';
import type { Call } from '../../application/calls/call-registry.js';
import { GatewayError } from '../../errors.js';

/**
 * The access rules of the API in one place. Acting on another agent's call answers 403 (not 404):
 * ids are unguessable, and a clear refusal helps an agent who followed a stale link.
 */
export function principalOf(response: Response): Principal {
  const principal = response.locals.principal;
  if (!principal) throw new GatewayError('GW_ERR_UNAUTHORIZED', 'sign in first');
  return principal;
}

/** Integration keys need `scope`; users need one of `roles`. */
export function requireRole(response: Response, scope: Scope, ...roles: readonly Role[]): Principal {
  const principal = principalOf(response);
  if (principal.kind === 'integration') {
    if (principal.scopes.includes(scope)) return principal;
    throw new GatewayError('GW_ERR_FORBIDDEN', `this integration key lacks the "${scope}" scope`);
  }
  if (hasRole(principal, ...roles)) return principal;
  throw new GatewayError('GW_ERR_FORBIDDEN', 'your role does not allow this');
}

/** Sees every call and every payment's status (read-only). */
export function seesEverything(principal: Principal): boolean {
  return principal.kind === 'integration' || hasRole(principal, 'supervisor', 'admin');
}

/** The agent of the call, or an integration key: may start, follow, steer and cancel its payments. */
export function mayActOnCall(principal: Principal, call: Pick<Call, 'agent'>): boolean {
  if (principal.kind === 'integration') return true;
  return (
    hasRole(principal, 'agent') &&
    principal.agentId !== undefined &&
    principal.agentId.length > 0 &&
    principal.agentId === call.agent
  );
}

export function requireActOnCall(response: Response, call: Pick<Call, 'agent'>): void {
  if (!mayActOnCall(principalOf(response), call)) {
    throw new GatewayError('GW_ERR_FORBIDDEN', 'this call belongs to another agent');
  }
}

/** Which calls a principal sees: all, or the agent's own. */
export function visibleCall(principal: Principal, call: Pick<Call, 'agent'>): boolean {
  return seesEverything(principal) || mayActOnCall(principal, call);
}

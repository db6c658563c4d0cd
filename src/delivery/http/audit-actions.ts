import type { Response } from 'express';
import type { Principal } from '../../application/access/principal.js';

/** What an API action records in the audit trail (AuditTrail.recordAction); resolves once on disk. */
export type RecordAction = (action: {
  principal: string;
  action: string;
  outcome: 'allowed' | 'denied' | 'failed';
  callId?: string;
  paymentId?: string;
}) => Promise<void>;

/** How a principal is named in the audit trail: `integration:<key name>`, `agent:<id>`, `user:<subject>`. */
export function principalName(principal: Principal | undefined): string {
  if (!principal) return 'anonymous';
  if (principal.kind === 'integration') return `integration:${principal.name}`;
  return principal.agentId ? `agent:${principal.agentId}` : `user:${principal.subject}`;
}

export function principalNameOf(response: Response): string {
  return principalName(response.locals.principal);
}

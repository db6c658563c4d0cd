import type { Scope } from '../../domain/access/scopes.js';

export type { Scope } from '../../domain/access/scopes.js';

/**
 * Who is calling the API, once authenticated. Roles (least privilege, PCI DSS 7):
 * - `agent`: sees and acts on the calls whose agent id is theirs, and nothing else;
 * - `supervisor`: sees every call and every payment's status, read-only; cannot act on a capture;
 * - `auditor`: reads the audit report only;
 * - `admin`: supervisor and auditor together (administration itself is the users file and the IdP).
 * An integration key (CRM/CTI) may do what its scopes allow. No role can read card data: nothing holds it.
 */
export const ROLES = ['agent', 'supervisor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export type Principal =
  | {
      readonly kind: 'integration';
      readonly name: string;
      readonly scopes: readonly Scope[];
      /** When the key stops working (epoch ms); undefined: the development key only. */
      readonly expiresAt?: number;
    }
  | {
      readonly kind: 'user';
      /** The user name (local users) or the token's `sub` (IdP). */
      readonly subject: string;
      readonly displayName: string;
      readonly roles: readonly Role[];
      /** The agent id calls carry (Kamailio's agent header); required for the agent role. */
      readonly agentId?: string;
      /** Their own limit per payment (users file `maxAmount`, or the IdP token's max-amount claim), else the configured one. */
      readonly maxAmount?: string;
      readonly source: 'local' | 'idp';
      /** When the credential ends (epoch ms): an IdP token's `exp`, or `iat` + the maximum age. */
      readonly expiresAt?: number;
    };

export function hasRole(principal: Principal, ...roles: readonly Role[]): boolean {
  return principal.kind === 'user' && principal.roles.some((role) => roles.includes(role));
}

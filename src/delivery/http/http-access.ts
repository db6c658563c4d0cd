import type { BearerTokenVerifier } from '../../application/access/bearer-token-verifier.js';
import type { IntegrationKeys } from '../../application/access/integration-keys.js';
import type { UserDirectory } from '../../application/access/user-directory.js';
import type { AgentPaymentLimits } from '../../config/access-settings.js';
import type { SessionStore } from './session-store.js';

/** Everything the HTTP app needs to tell who is calling. Built once by src/composition/create-http-access.ts. */
export interface HttpAccess {
  readonly integrationKeys: IntegrationKeys;
  /** Local sign-in (users file); undefined when TONEWALL_LOCAL_SIGNIN=off. */
  readonly users: UserDirectory | undefined;
  /** IdP bearer JWTs; undefined when no JWKS is configured. */
  readonly jwt: BearerTokenVerifier | undefined;
  readonly sessions: SessionStore;
  /** Cookies get `Secure` and the `__Host-` prefix (the app is served over TLS, or behind a TLS proxy). */
  readonly secureCookies: boolean;
  /** express's `trust proxy` (the TLS proxies in front), or undefined: forwarded headers are ignored. */
  readonly trustProxy: readonly string[] | undefined;
  readonly signIn: { readonly maxAttempts: number; readonly windowMs: number };
  /** What a person may start a payment with (integrations are not limited). */
  readonly agentLimits: AgentPaymentLimits;
}

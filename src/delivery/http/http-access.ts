import { JwtVerifier } from '../../adapters/users/jwt-verifier.js';
import { UsersFile } from '../../adapters/users/users-file.js';
import { IntegrationKeys } from '../../application/users/integration-keys.js';
import { UserDirectory } from '../../application/users/user-directory.js';
import type { AccessSettings } from '../../config/access-settings.js';
import type { Logger } from '../../logger.js';
import { SessionStore } from './session-store.js';

/** Everything the HTTP app needs to tell who is calling. Built once by createHttpAccess. */
export interface HttpAccess {
  readonly integrationKeys: IntegrationKeys;
  /** Local sign-in (users file); undefined when TONEWALL_LOCAL_SIGNIN=off. */
  readonly users: UserDirectory | undefined;
  /** IdP bearer JWTs; undefined when no JWKS is configured. */
  readonly jwt: JwtVerifier | undefined;
  readonly sessions: SessionStore;
  /** Cookies get `Secure` and the `__Host-` prefix (the app is served over TLS). */
  readonly secureCookies: boolean;
  readonly signIn: { readonly maxAttempts: number; readonly windowMs: number };
}

export function createHttpAccess(options: {
  settings: AccessSettings;
  logger: Logger;
  now?: () => number;
}): HttpAccess {
  const { settings, logger, now } = options;
  return {
    integrationKeys: new IntegrationKeys(settings.integrationKeys),
    users: settings.localSignIn
      ? new UserDirectory({
          source: new UsersFile(settings.usersFile),
          logger: logger.child({ part: 'users' }),
        })
      : undefined,
    jwt: settings.jwt ? new JwtVerifier({ ...settings.jwt, ...(now ? { now } : {}) }) : undefined,
    sessions: new SessionStore({ ...settings.session, ...(now ? { now } : {}) }),
    secureCookies: settings.tls !== undefined,
    signIn: settings.signIn,
  };
}

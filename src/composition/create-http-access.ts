import { MemorySessionRecords } from '../adapters/store/memory-session-records.js';
import { JwtVerifier } from '../adapters/users/jwt-verifier.js';
import { TotpCodes } from '../adapters/users/totp-codes.js';
import { UsersFile } from '../adapters/users/users-file.js';
import { AccountLockout } from '../application/access/account-lockout.js';
import { IntegrationKeys } from '../application/access/integration-keys.js';
import type { SessionRecords } from '../application/access/session-records.js';
import { UserDirectory } from '../application/access/user-directory.js';
import type { Clock } from '../application/clock.js';
import type { AccessSettings } from '../config/access-settings.js';
import type { HttpAccess } from '../delivery/http/http-access.js';
import { SessionStore } from '../delivery/http/session-store.js';
import type { Logger } from '../logger.js';

/** Who may call the HTTP API, from the access settings: integration keys, local users, an IdP. */
export function createHttpAccess(options: {
  settings: AccessSettings;
  logger: Logger;
  clock: Clock;
  /** Where sessions are kept when the gateways share them (TONEWALL_STATE_STORE=redis); else memory. */
  sessionRecords?: SessionRecords;
}): HttpAccess {
  const { settings, logger, clock } = options;
  if (settings.localSignIn && !settings.mfaRequired) {
    logger.warn(
      { setting: 'TONEWALL_MFA' },
      'local sign-in asks no one-time code of users without an authenticator (TONEWALL_MFA=off): for a demo only',
    );
  }
  return {
    integrationKeys: new IntegrationKeys(settings.integrationKeys, clock),
    users: settings.localSignIn
      ? new UserDirectory({
          source: new UsersFile(settings.usersFile),
          logger: logger.child({ part: 'users' }),
          clock,
          codes: new TotpCodes({ issuer: 'tonewall' }),
          lockout: new AccountLockout({
            failures: settings.lockout.failures,
            lockMs: settings.lockout.ms,
            clock,
          }),
          mfaRequired: settings.mfaRequired,
        })
      : undefined,
    jwt: settings.jwt ? new JwtVerifier({ ...settings.jwt, clock }) : undefined,
    sessions: new SessionStore({
      ...settings.session,
      clock,
      records: options.sessionRecords ?? new MemorySessionRecords({ now: () => clock.now() }),
    }),
    secureCookies: settings.tls !== undefined || settings.trustProxy !== undefined,
    trustProxy: settings.trustProxy,
    signIn: settings.signIn,
    agentLimits: settings.agentLimits,
  };
}

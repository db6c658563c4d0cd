import type { Logger } from '../../logger.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import type { Principal, Role } from './principal.js';

/** One local user as the users file holds it: a password hash, never a password. */
export interface LocalUser {
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly agentId?: string;
  /** PHC-format scrypt hash (password-hash.ts). */
  readonly password: string;
  readonly disabled?: boolean;
}

/** Where local users come from (the users file); read on every sign-in so edits apply at once. */
export interface UserSource {
  load(): Promise<readonly LocalUser[]>;
}

/**
 * A sign-in's result. A refusal names the user only when it exists (a mistyped password in the user
 * name field never reaches a log or the audit trail).
 */
export type SignInResult =
  | { readonly ok: true; readonly principal: Principal }
  | {
      readonly ok: false;
      readonly reason: 'unknown-user' | 'disabled' | 'wrong-password';
      /** The existing user's name, for `disabled` and `wrong-password`. */
      readonly user?: string;
    };

/**
 * Local sign-in. An unknown or disabled user costs one scrypt like a known one (against a hash made
 * at start), so timing does not tell which user names exist. A users file that cannot be read fails
 * closed: nobody signs in, and the log says why.
 */
export class UserDirectory {
  readonly #source: UserSource;
  readonly #logger: Logger;
  readonly #decoy: Promise<string>;

  constructor(options: { source: UserSource; logger: Logger }) {
    this.#source = options.source;
    this.#logger = options.logger;
    this.#decoy = hashPassword('decoy password for unknown users');
  }

  async signIn(username: string, password: string): Promise<SignInResult> {
    const wanted = username.normalize('NFC').toLowerCase();
    let users: readonly LocalUser[] = [];
    try {
      users = await this.#source.load();
    } catch (error) {
      this.#logger.error({ err: error }, 'local users unavailable; sign-in refused');
    }
    const user = users.find((candidate) => candidate.username === wanted);
    if (!user || user.disabled === true) {
      await verifyPassword(password, await this.#decoy);
      return user
        ? { ok: false, reason: 'disabled', user: user.username }
        : { ok: false, reason: 'unknown-user' };
    }
    if (!(await verifyPassword(password, user.password)))
      return { ok: false, reason: 'wrong-password', user: user.username };
    return {
      ok: true,
      principal: {
        kind: 'user',
        subject: user.username,
        displayName: user.displayName,
        roles: user.roles,
        ...(user.agentId === undefined ? {} : { agentId: user.agentId }),
        source: 'local',
      },
    };
  }
}

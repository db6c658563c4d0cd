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

  async signIn(username: string, password: string): Promise<Principal | undefined> {
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
      return undefined;
    }
    if (!(await verifyPassword(password, user.password))) return undefined;
    return {
      kind: 'user',
      subject: user.username,
      displayName: user.displayName,
      roles: user.roles,
      ...(user.agentId === undefined ? {} : { agentId: user.agentId }),
      source: 'local',
    };
  }
}

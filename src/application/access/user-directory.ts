import type { Logger } from '../../logger.js';
import type { Clock } from '../clock.js';
import type { AccountLockout } from './account-lockout.js';
import type { OneTimeCodes } from './one-time-codes.js';
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
  /** The TOTP shared secret (base32) once the user enrolled an authenticator. */
  readonly totpSecret?: string;
  readonly disabled?: boolean;
  /** This user's own limit per payment they start themselves (decimal), else the configured one. */
  readonly maxAmount?: string;
}

/** Where local users come from (the users file); read on every sign-in so edits apply at once. */
export interface UserSource {
  load(): Promise<readonly LocalUser[]>;
  /** Keeps the user's TOTP secret (the user confirmed it with a code). */
  enrolTotp(username: string, secret: string): Promise<void>;
}

export type SignInRefusal =
  | 'unknown-user'
  | 'disabled'
  | 'wrong-password'
  | 'locked'
  | 'code-required'
  | 'wrong-code'
  | 'enrolment-required';

/**
 * A sign-in's result. A refusal names the user only when it exists (a mistyped password in the user
 * name field never reaches a log or the audit trail).
 */
export type SignInResult =
  | { readonly ok: true; readonly principal: Principal; readonly enrolled?: true }
  | {
      readonly ok: false;
      readonly reason: SignInRefusal;
      /** The existing user's name (every reason but `unknown-user`). */
      readonly user?: string;
      /** This failure locked the account. */
      readonly lockedNow?: true;
    };

export type EnrolmentResult =
  | {
      readonly ok: true;
      readonly user: string;
      readonly secret: string;
      readonly uri: string;
      /** The first code from it must come before this (epoch ms). */
      readonly expiresAt: number;
    }
  | Extract<SignInResult, { ok: false }>
  | { readonly ok: false; readonly reason: 'already-enrolled'; readonly user: string };

export interface UserDirectoryOptions {
  source: UserSource;
  logger: Logger;
  clock: Clock;
  codes: OneTimeCodes;
  lockout: AccountLockout;
  /** Every user needs a one-time code (TONEWALL_MFA=required). Enrolled users always do. */
  mfaRequired: boolean;
}

/** A secret offered for enrolment is good this long for its first code. */
const ENROLMENT_MS = 10 * 60_000;

/**
 * Local sign-in: password (scrypt), then a one-time code for enrolled users (and enrolment first
 * when codes are required), with a per-account lock-out. An unknown, disabled or locked user costs
 * one scrypt like a known one (against a hash made at start), so timing does not tell which user
 * names exist. A users file that cannot be read fails closed: nobody signs in, and the log says why.
 * A code is good once (RFC 6238 §5.2): a step already used by the user is refused.
 */
export class UserDirectory {
  readonly #options: UserDirectoryOptions;
  readonly #decoy: Promise<string>;
  readonly #usedStep = new Map<string, number>();
  readonly #offered = new Map<string, { secret: string; until: number }>();

  constructor(options: UserDirectoryOptions) {
    this.#options = options;
    this.#decoy = hashPassword('decoy password for unknown users');
  }

  get mfaRequired(): boolean {
    return this.#options.mfaRequired;
  }

  async signIn(username: string, password: string, code?: string): Promise<SignInResult> {
    const checked = await this.#checkPassword(username, password);
    if (!checked.ok) return checked;
    const { user } = checked;
    const secret = user.totpSecret ?? this.#offeredSecret(user.username);
    if (secret === undefined) {
      if (this.#options.mfaRequired) return { ok: false, reason: 'enrolment-required', user: user.username };
      return this.#allowed(user);
    }
    if (code === undefined || code === '') return { ok: false, reason: 'code-required', user: user.username };
    if (!this.#codeGood(user.username, secret, code)) return this.#failed(user.username, 'wrong-code');
    if (user.totpSecret === undefined) {
      await this.#options.source.enrolTotp(user.username, secret);
      this.#offered.delete(user.username);
      return { ...this.#allowed(user), enrolled: true };
    }
    return this.#allowed(user);
  }

  /**
   * A new secret for a user who has none yet (after their password): their next sign-in with a code
   * from it enrols it. An enrolled user must be reset by an administrator (`tonewall users totp`).
   */
  async startEnrolment(username: string, password: string): Promise<EnrolmentResult> {
    const checked = await this.#checkPassword(username, password);
    if (!checked.ok) return checked;
    const { user } = checked;
    if (user.totpSecret !== undefined) return { ok: false, reason: 'already-enrolled', user: user.username };
    const secret = this.#options.codes.newSecret();
    const expiresAt = this.#options.clock.now() + ENROLMENT_MS;
    this.#offered.set(user.username, { secret, until: expiresAt });
    const uri = this.#options.codes.enrolmentUri(user.username, secret);
    return { ok: true, user: user.username, secret, uri, expiresAt };
  }

  /** Whether a local user still exists and is enabled (open event streams are closed otherwise). */
  async isActive(username: string): Promise<boolean> {
    try {
      const user = (await this.#options.source.load()).find((candidate) => candidate.username === username);
      return user !== undefined && user.disabled !== true;
    } catch {
      return false;
    }
  }

  async #checkPassword(
    username: string,
    password: string,
  ): Promise<{ ok: true; user: LocalUser } | Extract<SignInResult, { ok: false }>> {
    const wanted = username.normalize('NFC').toLowerCase();
    let users: readonly LocalUser[] = [];
    try {
      users = await this.#options.source.load();
    } catch (error) {
      this.#options.logger.error({ err: error }, 'local users unavailable; sign-in refused');
    }
    const user = users.find((candidate) => candidate.username === wanted);
    const lockedUntil = user ? this.#options.lockout.lockedUntil(user.username) : undefined;
    if (!user || user.disabled === true || lockedUntil !== undefined) {
      await verifyPassword(password, await this.#decoy);
      if (!user) return { ok: false, reason: 'unknown-user' };
      return lockedUntil === undefined
        ? { ok: false, reason: 'disabled', user: user.username }
        : { ok: false, reason: 'locked', user: user.username };
    }
    if (!(await verifyPassword(password, user.password)))
      return this.#failed(user.username, 'wrong-password');
    return { ok: true, user };
  }

  #offeredSecret(username: string): string | undefined {
    const offer = this.#offered.get(username);
    if (offer === undefined) return undefined;
    if (offer.until > this.#options.clock.now()) return offer.secret;
    this.#offered.delete(username);
    return undefined;
  }

  #codeGood(username: string, secret: string, code: string): boolean {
    const step = this.#options.codes.verify(secret, code, this.#options.clock.now());
    if (step === undefined || step <= (this.#usedStep.get(username) ?? -1)) return false;
    this.#usedStep.set(username, step);
    return true;
  }

  #failed(username: string, reason: 'wrong-password' | 'wrong-code'): Extract<SignInResult, { ok: false }> {
    const lockedNow = this.#options.lockout.failed(username);
    return { ok: false, reason, user: username, ...(lockedNow ? { lockedNow } : {}) };
  }

  #allowed(user: LocalUser): { ok: true; principal: Principal } {
    this.#options.lockout.succeeded(user.username);
    return {
      ok: true,
      principal: {
        kind: 'user',
        subject: user.username,
        displayName: user.displayName,
        roles: user.roles,
        ...(user.agentId === undefined ? {} : { agentId: user.agentId }),
        ...(user.maxAmount === undefined ? {} : { maxAmount: user.maxAmount }),
        source: 'local',
      },
    };
  }
}

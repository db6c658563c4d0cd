import { chmod, chown, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { isPasswordHash } from '../../application/access/password-hash.js';
import { ROLES } from '../../application/access/principal.js';
import type { LocalUser, UserSource } from '../../application/access/user-directory.js';
import { GatewayError } from '../../errors.js';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

const userSchema = z
  .object({
    username: z.string().regex(USERNAME_PATTERN, 'must be lower-case letters, digits and . _ @ -'),
    displayName: z.string().min(1).max(128),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
    agentId: z.string().min(1).max(256).optional(),
    password: z.string().refine(isPasswordHash, 'must be a scrypt hash made by scripts/users.ts'),
    totpSecret: z
      .string()
      .regex(/^[A-Z2-7]{26,128}$/, 'must be a base32 TOTP secret of at least 128 bits')
      .optional(),
    disabled: z.boolean().optional(),
    /** This agent's own limit per payment they start themselves (else TONEWALL_AGENT_MAX_AMOUNT). */
    maxAmount: z
      .string()
      .regex(/^\d{1,12}(\.\d{1,3})?$/, 'must be a decimal amount such as "50.00"')
      .optional(),
  })
  .strict()
  .refine((user) => !user.roles.includes('agent') || user.agentId !== undefined, {
    message: 'an agent needs an agentId',
    path: ['agentId'],
  });

const fileSchema = z
  .object({ version: z.literal(1), users: z.array(userSchema).max(10_000) })
  .strict()
  .refine((file) => new Set(file.users.map((user) => user.username)).size === file.users.length, {
    message: 'user names must be unique',
    path: ['users'],
  });

export type UsersFileContent = z.infer<typeof fileSchema>;

/**
 * The local users file: `{"version": 1, "users": [{username, displayName, roles, agentId?, password,
 * totpSecret?, disabled?}]}`, mode 0600. A missing file means no local users. Re-read when it changes
 * on disk. The gateway writes it only to keep a TOTP secret a user enrolled from the desk.
 */
export class UsersFile implements UserSource {
  readonly path: string;
  #cached: { stamp: string; users: readonly LocalUser[] } | undefined;

  constructor(path: string) {
    this.path = path;
  }

  async load(): Promise<readonly LocalUser[]> {
    let stamp: string;
    try {
      const info = await stat(this.path);
      stamp = `${info.mtimeMs}:${info.size}`;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      throw new GatewayError('GW_ERR_USERS_FILE', `users file ${this.path} cannot be read`, { cause: error });
    }
    if (this.#cached?.stamp === stamp) return this.#cached.users;
    const users = (await this.read()).users;
    this.#cached = { stamp, users };
    return users;
  }

  /** The whole file, validated; an absent file reads as empty. */
  async read(): Promise<UsersFileContent> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return { version: 1, users: [] };
      throw new GatewayError('GW_ERR_USERS_FILE', `users file ${this.path} cannot be read`, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new GatewayError('GW_ERR_USERS_FILE', `users file ${this.path} is not valid JSON`);
    }
    return this.#validate(json);
  }

  #validate(json: unknown): UsersFileContent {
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new GatewayError('GW_ERR_USERS_FILE', `users file ${this.path}: ${problems.join('; ')}`);
    }
    return parsed.data;
  }

  async enrolTotp(username: string, secret: string): Promise<void> {
    const user = (await this.read()).users.find((known) => known.username === username);
    if (!user) throw new GatewayError('GW_ERR_USERS_FILE', `users file ${this.path} has no such user`);
    await this.upsert({ ...user, totpSecret: secret });
  }

  /**
   * Root (`tonewall users add` beside a gateway `up` runs as its own user) gives the new file the old
   * one's owner, so the gateway can still read it; anyone else can only write files of their own.
   */
  async #keepOwner(temporary: string): Promise<void> {
    if (process.getuid?.() !== 0) return;
    const before = await stat(this.path).catch(() => undefined);
    if (before !== undefined) await chown(temporary, before.uid, before.gid);
  }

  /** Adds or replaces one user, writing a temporary file and renaming it over the old one (0600). */
  async upsert(user: LocalUser): Promise<'added' | 'replaced'> {
    const content = await this.read();
    const next = this.#validate({
      version: 1,
      users: [...content.users.filter((known) => known.username !== user.username), user],
    });
    const replaced = next.users.length === content.users.length;
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await this.#keepOwner(temporary);
    await rename(temporary, this.path);
    return replaced ? 'replaced' : 'added';
  }
}

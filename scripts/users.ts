/**
 * Manages the local users file the agent desktop signs in with (scrypt-hashed passwords, mode 0600).
 *
 *   npx tsx scripts/users.ts add <username> --role agent --agent-id <id> [--name "Display Name"]
 *                                [--max-amount AMOUNT] [--password-env VAR | --generate] [--totp] [--file PATH]
 *   npx tsx scripts/users.ts totp <username> [--clear] [--file PATH]
 *   npx tsx scripts/users.ts list [--file PATH]
 *
 * The password (at least 12 characters) comes from the environment variable named by --password-env,
 * or is generated and printed once (--generate), or is read from standard input (first line). With
 * --totp, or with `totp`, a new TOTP secret is made and printed once (the key and an otpauth:// URI
 * for the user's authenticator app); `totp --clear` removes it (the user enrols again from the desk at
 * their next sign-in). The file defaults to the gateway's TONEWALL_USERS_FILE
 * (.run/<run name>/users.json). Adding an existing user replaces it, authenticator included.
 * --max-amount: the user's own limit per payment they start themselves (else TONEWALL_AGENT_MAX_AMOUNT);
 * a payment from an integration's order is not limited by it.
 * Exit status 0 ok, 1 failed (the file cannot be read or written), 2 usage; `-h`/`--help` (also after
 * a sub-command) prints the usage on stdout, exit 0; so does no argument.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { TotpCodes } from '../src/adapters/users/totp-codes.js';
import { USERNAME_PATTERN, UsersFile } from '../src/adapters/users/users-file.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../src/application/access/password-hash.js';
import { isRole, type Role } from '../src/application/access/principal.js';
import { loadConfig } from '../src/config/config.js';

async function readStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0]?.replace(/\r$/, '') ?? '';
}

const ADD_USAGE =
  'users add <username> [--role agent|supervisor|auditor|admin]... [--agent-id ID] [--name TEXT]\n' +
  '          [--max-amount AMOUNT] [--password-env VAR | --generate] [--totp] [--file PATH]';
const TOTP_USAGE = 'users totp <username> [--clear] [--file PATH]';
const LIST_USAGE = 'users list [--file PATH]';
const EXIT_CODES = 'exit status: 0 ok, 1 failed, 2 usage';
const USAGE = `usage: ${ADD_USAGE}\n       ${TOTP_USAGE}\n       ${LIST_USAGE}\n${EXIT_CODES}`;

/** A failure that is not the caller's (the file): exit 1. */
function fail(message: string): never {
  process.stderr.write(`users: ${message}\n`);
  process.exit(1);
}

/** A bad argument: the message and the usage on stderr, exit 2. */
function usageError(message: string): never {
  process.stderr.write(`users: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArguments() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        role: { type: 'string', multiple: true },
        'agent-id': { type: 'string' },
        'max-amount': { type: 'string' },
        name: { type: 'string' },
        'password-env': { type: 'string' },
        generate: { type: 'boolean' },
        totp: { type: 'boolean' },
        clear: { type: 'boolean' },
        file: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return usageError((error as Error).message);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArguments();
  const [command, username] = positionals;
  if (values.help || command === undefined) {
    const usage =
      command === 'add'
        ? ADD_USAGE
        : command === 'list'
          ? LIST_USAGE
          : command === 'totp'
            ? TOTP_USAGE
            : USAGE;
    console.log(usage === USAGE ? USAGE : `usage: ${usage}\n${EXIT_CODES}`);
    return;
  }
  if (command !== 'add' && command !== 'list' && command !== 'totp')
    usageError(`unknown sub-command '${command}'`);
  if (positionals.length > (command === 'list' ? 1 : 2))
    usageError(`unexpected argument '${positionals.at(-1)}'`);
  const file = new UsersFile(values.file ?? loadConfig(process.env).access.usersFile);
  if (command === 'list') {
    for (const user of (await file.read()).users) {
      const agent = user.agentId === undefined ? '' : ` agent=${user.agentId}`;
      const mfa = user.totpSecret === undefined ? ' (no authenticator)' : '';
      console.log(
        `${user.username}\t${user.roles.join(',')}${agent}${mfa}${user.disabled ? ' (disabled)' : ''}`,
      );
    }
    return;
  }
  if (command === 'totp') {
    if (username === undefined) return usageError('totp wants a username');
    const user = (await file.read()).users.find((known) => known.username === username);
    if (!user) return fail(`no user ${username} in ${file.path}`);
    const { totpSecret: _old, ...rest } = user;
    if (values.clear) {
      await file.upsert(rest);
      console.log(`cleared the authenticator of ${username}: they set one up at their next sign-in`);
      return;
    }
    const secret = codes.newSecret();
    await file.upsert({ ...rest, totpSecret: secret });
    printSecret(username, secret);
    return;
  }
  if (username === undefined) return usageError('add wants a username');
  if (!USERNAME_PATTERN.test(username)) usageError('username must be lower-case letters, digits and . _ @ -');
  const roles = (values.role ?? ['agent']).flatMap((role) => role.split(','));
  if (!roles.every(isRole)) usageError('--role must be agent, supervisor, auditor or admin');
  let password: string;
  if (values.generate) password = randomBytes(12).toString('base64url');
  else if (values['password-env']) password = process.env[values['password-env']] ?? '';
  else password = await readStdinLine();
  if (password.length < MIN_PASSWORD_LENGTH)
    usageError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (values['max-amount'] !== undefined && !/^\d{1,12}(\.\d{1,3})?$/.test(values['max-amount']))
    usageError('--max-amount must be a decimal amount such as 50.00');
  const secret = values.totp ? codes.newSecret() : undefined;
  const result = await file.upsert({
    username,
    displayName: values.name ?? username,
    roles: roles as Role[],
    ...(values['agent-id'] === undefined ? {} : { agentId: values['agent-id'] }),
    ...(values['max-amount'] === undefined ? {} : { maxAmount: values['max-amount'] }),
    password: await hashPassword(password),
    ...(secret === undefined ? {} : { totpSecret: secret }),
  });
  console.log(`${result} ${username} (${roles.join(',')}) in ${file.path}`);
  if (values.generate) console.log(`password: ${password}`);
  if (secret !== undefined) printSecret(username, secret);
}

const codes = new TotpCodes({ issuer: 'tonewall' });

/** The new secret, once, for the user's authenticator app (nowhere else: not logged, not kept elsewhere). */
function printSecret(username: string, secret: string): void {
  console.log(`authenticator key: ${secret}`);
  console.log(`authenticator URI: ${codes.enrolmentUri(username, secret)}`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : 'failed'));

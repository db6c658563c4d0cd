/**
 * Manages the local users file the agent desktop signs in with (scrypt-hashed passwords, mode 0600).
 *
 *   npx tsx scripts/users.ts add <username> --role agent --agent-id <id> [--name "Display Name"]
 *                                [--password-env VAR | --generate] [--file PATH]
 *   npx tsx scripts/users.ts list [--file PATH]
 *
 * The password comes from the environment variable named by --password-env, or is generated and
 * printed once (--generate), or is read from standard input (first line). The file defaults to the
 * gateway's TONEWALL_USERS_FILE (.run/<run name>/users.json). Adding an existing user replaces it.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { USERNAME_PATTERN, UsersFile } from '../src/adapters/users/users-file.js';
import { hashPassword } from '../src/application/users/password-hash.js';
import { isRole, type Role } from '../src/application/users/principal.js';
import { loadConfig } from '../src/config/config.js';

async function readStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0]?.replace(/\r$/, '') ?? '';
}

function fail(message: string): never {
  process.stderr.write(`users: ${message}\n`);
  process.exit(64);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      role: { type: 'string', multiple: true },
      'agent-id': { type: 'string' },
      name: { type: 'string' },
      'password-env': { type: 'string' },
      generate: { type: 'boolean' },
      file: { type: 'string' },
    },
  });
  const file = new UsersFile(values.file ?? loadConfig(process.env).access.usersFile);
  const [command, username] = positionals;
  if (command === 'list') {
    for (const user of (await file.read()).users) {
      const agent = user.agentId === undefined ? '' : ` agent=${user.agentId}`;
      console.log(`${user.username}\t${user.roles.join(',')}${agent}${user.disabled ? ' (disabled)' : ''}`);
    }
    return;
  }
  if (command !== 'add' || username === undefined)
    fail('usage: users.ts add <username> --role <role> … | list');
  if (!USERNAME_PATTERN.test(username)) fail('username must be lower-case letters, digits and . _ @ -');
  const roles = (values.role ?? ['agent']).flatMap((role) => role.split(','));
  if (!roles.every(isRole)) fail('--role must be agent, supervisor, auditor or admin');
  let password: string;
  if (values.generate) password = randomBytes(12).toString('base64url');
  else if (values['password-env']) password = process.env[values['password-env']] ?? '';
  else password = await readStdinLine();
  if (password.length < 8) fail('the password must be at least 8 characters');
  const result = await file.upsert({
    username,
    displayName: values.name ?? username,
    roles: roles as Role[],
    ...(values['agent-id'] === undefined ? {} : { agentId: values['agent-id'] }),
    password: await hashPassword(password),
  });
  console.log(`${result} ${username} (${roles.join(',')}) in ${file.path}`);
  if (values.generate) console.log(`password: ${password}`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : 'failed'));

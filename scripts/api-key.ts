/**
 * Makes an integration key: prints the key once (give it to the integration) and the
 * TONEWALL_API_KEY_SHA256 entry for the gateway (its digest, scopes and expiry; the key itself is
 * never stored).
 *
 *   npx tsx scripts/api-key.ts NAME --scope payments:write [--scope …] --expires YYYY-MM-DD
 *
 * Scopes: payments:write, payments:read, calls:read, calls:write, audit:read (one or more; repeat or
 * comma-separate). The expiry must lie in the future, at most 366 days ahead. Exit status 0 ok,
 * 2 usage; `-h`/`--help` prints the usage on stdout, exit 0.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { isScope, SCOPES } from '../src/domain/access/scopes.js';
import { sha256Hex } from '../src/domain/sha256.js';

const USAGE =
  'usage: api-key NAME --scope SCOPE [--scope SCOPE]... --expires YYYY-MM-DD\n' +
  `scopes: ${SCOPES.join(', ')}\nexit status: 0 ok, 2 usage`;
const MAX_DAYS = 366;

function usageError(message: string): never {
  process.stderr.write(`api-key: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function main(): void {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [name, extra] = positionals;
  if (name === undefined) usageError('a name is needed');
  if (extra !== undefined) usageError(`unexpected argument '${extra}'`);
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(name))
    usageError('the name must be lower-case letters, digits and . _ -');
  const scopes = [...new Set((values.scope ?? []).flatMap((scope) => scope.split(',')).map((s) => s.trim()))];
  if (scopes.length === 0) usageError('at least one --scope is needed');
  const unknown = scopes.find((scope) => !isScope(scope));
  if (unknown !== undefined) usageError(`unknown scope '${unknown}'`);
  const expires = values.expires ?? '';
  const at = Date.parse(`${expires}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(expires) || Number.isNaN(at))
    usageError('--expires wants a date, YYYY-MM-DD');
  const days = (at - Date.now()) / 86_400_000;
  if (days <= 0) usageError('--expires must be in the future');
  if (days > MAX_DAYS) usageError(`--expires must be at most ${MAX_DAYS} days ahead: keys are rotated`);
  const key = `tw_${randomBytes(24).toString('base64url')}`;
  console.log(`key (give it to the integration; it is not kept): ${key}`);
  console.log(`TONEWALL_API_KEY_SHA256 entry: ${name}:${sha256Hex(key)}/${scopes.join('+')}/${expires}`);
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      scope: { type: 'string', multiple: true },
      expires: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

main();

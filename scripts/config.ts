/**
 * The settings (src/config/settings-registry.ts) as this environment makes them, without starting
 * anything:
 *
 *   npx tsx scripts/config.ts          every setting: its value (secrets masked), default or unset
 *   npx tsx scripts/config.ts check    the gateway's start-up checks: values, then key and certificate files
 *
 * Exit status 0 ok, 1 the configuration is not valid (each bad setting named, never its value), 2 usage;
 * `-h`/`--help` prints the usage on stdout, exit 0. `./scripts/tonewall config` runs this.
 */
import { loadConfig } from '../src/config/config.js';
import { effectiveSettings, formatEffectiveSettings } from '../src/config/effective-settings.js';
import { checkKeyFiles } from '../src/config/key-files.js';
import { isGatewayError } from '../src/errors.js';

const USAGE = `usage: ./scripts/tonewall config           print the effective settings (secrets masked)
       ./scripts/tonewall config check     validate them, start nothing
exit status: 0 ok, 1 the configuration is not valid, 2 usage
`;

const args = process.argv.slice(2);
if (args.includes('-h') || args.includes('--help')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.length > 1 || (args.length === 1 && args[0] !== 'check')) {
  process.stderr.write(`config: unknown argument '${args.at(-1)}'\n${USAGE}`);
  process.exit(2);
}

/** The gateway's checks, as it runs them at start (src/main.ts); the problem, or undefined. */
async function problem(options: { keyFiles: boolean }): Promise<string | undefined> {
  try {
    const config = loadConfig(process.env);
    if (options.keyFiles) await checkKeyFiles(config);
    return undefined;
  } catch (error) {
    return isGatewayError(error) ? error.message : 'configuration could not be read';
  }
}

if (args[0] === 'check') {
  const found = await problem({ keyFiles: true });
  if (found !== undefined) {
    process.stderr.write(`tonewall: ${found}\n`);
    process.exit(1);
  }
  process.stdout.write('tonewall: configuration ok (values, key and certificate files)\n');
} else {
  process.stdout.write(`${formatEffectiveSettings(effectiveSettings(process.env))}\n`);
  const found = await problem({ keyFiles: false });
  if (found !== undefined) {
    process.stderr.write(`tonewall: ${found}\n`);
    process.exit(1);
  }
}

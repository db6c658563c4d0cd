/**
 * Writes the README's settings tables (between the `settings:begin` and `settings:end` markers) from
 * the settings registry (src/config/registry/). `--check` writes nothing and exits 1 when the README
 * holds other tables. test/unit/settings-registry.test.ts fails when they differ.
 *
 *   npx tsx scripts/settings-doc.ts [--check]
 *
 * Exit status 0 ok, 1 the check failed (or the markers are missing), 2 usage; `-h`/`--help` prints the
 * usage on stdout, exit 0.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { withSettingsMarkdown } from '../src/config/settings-markdown.js';
import { checkArgument } from './lib/check-argument.js';

const USAGE = 'usage: npx tsx scripts/settings-doc.ts [--check]\nexit status: 0 ok, 1 failed, 2 usage\n';
const target = fileURLToPath(new URL('../README.md', import.meta.url));
const check = checkArgument(USAGE);
const current = await readFile(target, 'utf8');
const generated = withSettingsMarkdown(current);
if (generated === undefined) {
  process.stderr.write('settings-doc: README.md has no settings:begin / settings:end markers\n');
  process.exit(1);
}
if (check) {
  if (generated !== current) {
    process.stderr.write('README.md settings tables are out of date: run npx tsx scripts/settings-doc.ts\n');
    process.exit(1);
  }
  process.stdout.write('README.md settings tables are up to date\n');
} else {
  await writeFile(target, generated);
  process.stdout.write('wrote the settings tables in README.md\n');
}

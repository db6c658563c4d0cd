/**
 * Writes the API's OpenAPI document (src/delivery/http/openapi.ts, the one the gateway serves at
 * `GET /v1/openapi.json`) to docs/openapi.json, formatted as the repository formats JSON (biome).
 * `--check` writes nothing and exits 1 when the file holds another document.
 * test/contract/http-openapi.test.ts fails when they differ.
 *
 *   npx tsx scripts/openapi.ts [--check]
 *
 * Exit status 0 ok, 1 the check failed, 2 usage; `-h`/`--help` prints the usage on stdout, exit 0.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { openApiDocument, openApiDocumentText } from '../src/delivery/http/openapi.js';
import { checkArgument } from './lib/check-argument.js';

const USAGE = 'usage: npx tsx scripts/openapi.ts [--check]\n';
const target = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
if (checkArgument(USAGE)) {
  const current = await readFile(target, 'utf8').catch(() => 'null');
  if (!isDeepStrictEqual(JSON.parse(current), openApiDocument())) {
    process.stderr.write('docs/openapi.json is out of date: run npx tsx scripts/openapi.ts\n');
    process.exit(1);
  }
  process.stdout.write('docs/openapi.json is up to date\n');
} else {
  await writeFile(target, openApiDocumentText());
  const biome = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));
  execFileSync(biome, ['format', '--write', target], { stdio: 'ignore' });
  process.stdout.write('wrote docs/openapi.json\n');
}

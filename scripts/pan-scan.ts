/**
 * Scans files and folders (recursing) for card numbers and prints each find masked:
 *
 *   npx tsx scripts/pan-scan.ts [--any-prefix] PATH...
 *
 * A find is a Luhn-valid number of 13–19 digits, contiguous or grouped by single spaces or dashes,
 * with a card brand's prefix and length (--any-prefix: any prefix). Every file is read as bytes
 * (logs, pcaps). Prints `file:line:column (byte offset N): brand ************1234 (16 digits)`;
 * never the whole number. Exit status 1 on a find (or an unreadable path), 0 on none, 2 on usage (no
 * path, an unknown option). `-h`/`--help` prints the usage on stdout, exit 0.
 */
import { parseArgs } from 'node:util';
import { formatFinding, scanForPans } from '../src/adapters/audit/pan-scanner.js';

const USAGE =
  'usage: pan-scan [--any-prefix] PATH...\nexit status: 0 none found, 1 a find or an unreadable path, 2 usage';

async function main(argv: string[]): Promise<number> {
  let parsed: { values: { 'any-prefix'?: boolean; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'any-prefix': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    console.error(`pan-scan: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    // no path is a usage error, not an empty scan that passes
    console.error(`pan-scan: no path to scan\n${USAGE}`);
    return 2;
  }
  const result = await scanForPans(parsed.positionals, { anyPrefix: parsed.values['any-prefix'] ?? false });
  for (const finding of result.findings) console.log(formatFinding(finding));
  for (const path of result.unreadable) console.error(`pan-scan: cannot read ${path}`);
  console.error(
    `pan-scan: ${result.files} file(s), ${result.bytes} bytes, ${result.findings.length} card number(s) found`,
  );
  return result.findings.length > 0 || result.unreadable.length > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));

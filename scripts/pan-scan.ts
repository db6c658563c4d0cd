/**
 * Scans files and folders (recursing) for card numbers and prints each find masked:
 *
 *   npx tsx scripts/pan-scan.ts [--any-prefix] PATH...
 *
 * A find is a Luhn-valid number of 13–19 digits, contiguous or grouped by single spaces or dashes,
 * with a card brand's prefix and length (--any-prefix: any prefix). Every file is read as bytes
 * (logs, pcaps). Prints `file:line:column (byte offset N): brand ************1234 (16 digits)`;
 * never the whole number. Exit status 1 on a find (or an unreadable path), 0 on none, 2 on usage.
 */
import { parseArgs } from 'node:util';
import { formatFinding, scanForPans } from '../src/adapters/audit/pan-scanner.js';

async function main(argv: string[]): Promise<number> {
  let parsed: { values: { 'any-prefix'?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'any-prefix': { type: 'boolean' } },
    });
  } catch {
    parsed = { values: {}, positionals: [] };
  }
  if (parsed.positionals.length === 0) {
    console.error('usage: pan-scan [--any-prefix] PATH...');
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

/**
 * The command line of a script that writes a generated document or, with `--check`, compares it
 * (scripts/openapi.ts, scripts/settings-doc.ts): true with `--check`; `-h`/`--help` prints the usage on
 * stdout and exits 0; any other argument prints the usage on stderr and exits 2.
 */
export function checkArgument(usage: string, args: readonly string[] = process.argv.slice(2)): boolean {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument(s): ${unknown.join(' ')}\n${usage}`);
    process.exit(2);
  }
  return args.includes('--check');
}

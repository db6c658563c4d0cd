/**
 * The auditor's tools, offline, with only the public keys:
 *
 *   npx tsx scripts/audit.ts verify [--keys PATH]... [--no-head] [--partial] [--shipped FILE] [LOG-DIR | FILE]...
 *   npx tsx scripts/audit.ts report --from DATE --to DATE [--out FILE] [--keys PATH]... [--log PATH]...
 *                                  [--scan PATH]... [--no-head]
 *
 * Defaults: the log is TONEWALL_AUDIT_DIR or .run/<TONEWALL_RUN_NAME or dev>/audit; keys are the
 * pinned keyring TONEWALL_KEYS_DIR/audit-keyring.json (or keys/; each key with the window in which it
 * may sign); `--keys` takes keyrings (*.json) or public keys (*.pem files, folders of them, no
 * windows) instead; the report's card-number scan reads the run
 * directory. `--shipped` also compares the log with the copy its receiver kept (`up` starts one:
 * .run/<run>/audit-shipped/audit.log): a record the copy holds that the log lost or holds otherwise,
 * or two versions of one record, is a rollback. Dates are ISO 8601 (a bare date is midnight UTC); --to is excluded.
 * Exit status: 0 verified (report: verified and no card number found), 1 not (or a file or key could
 * not be read), 2 usage. `-h`/`--help` prints the usage on stdout (exit 0); so does no argument.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AuditKeyring } from '../src/adapters/audit/audit-keyring.js';
import { collectAuditReport, renderAuditReport } from '../src/adapters/audit/audit-report.js';
import { verifyAuditLog } from '../src/adapters/audit/audit-verifier.js';
import { compareShippedCopy } from '../src/adapters/audit/shipped-copy.js';
import { isGatewayError } from '../src/errors.js';

const VERIFY_USAGE =
  'audit verify [--keys PATH]... [--no-head] [--partial] [--shipped FILE] [LOG-DIR | FILE]...';
const REPORT_USAGE =
  'audit report --from DATE --to DATE [--out FILE] [--keys PATH]... [--log PATH]... [--scan PATH]... [--no-head]';
const USAGE = `usage:\n  ${VERIFY_USAGE}\n  ${REPORT_USAGE}\nexit status: 0 verified, 1 not, 2 usage`;

const root = resolve(process.env.TONEWALL_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '..'));
const runDir = resolve(root, '.run', process.env.TONEWALL_RUN_NAME || 'dev');
const defaultLog = process.env.TONEWALL_AUDIT_DIR
  ? resolve(root, process.env.TONEWALL_AUDIT_DIR)
  : resolve(runDir, 'audit');
// the pinned keyring (scripts/keys.ts keeps it), never whatever else sits in the keys folder
const defaultKeys = resolve(root, process.env.TONEWALL_KEYS_DIR || 'keys', 'audit-keyring.json');

class UsageError extends Error {}

function parseDate(value: string | undefined, name: string): Date {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--${name} is not a date`);
  return date;
}

async function verify(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      keys: { type: 'string', multiple: true },
      'no-head': { type: 'boolean' },
      partial: { type: 'boolean' },
      shipped: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(`usage: ${VERIFY_USAGE}\nexit status: 0 the log verifies, 1 it does not, 2 usage`);
    return 0;
  }
  const keyring = await AuditKeyring.load(values.keys ?? [defaultKeys]);
  if (keyring.kids.length === 0) throw new UsageError('no Ed25519 public key found (--keys)');
  const paths = positionals.length > 0 ? positionals : [defaultLog];
  const result = await verifyAuditLog({
    paths,
    keyring,
    requireHead: !values['no-head'],
    requireGenesis: !values.partial,
  });
  console.log(
    `${result.files.length} file(s), ${result.records} record(s)` +
      (result.firstSeq === undefined ? '' : `, seq ${result.firstSeq}–${result.lastSeq}`) +
      (result.firstAt === undefined ? '' : `, ${result.firstAt} to ${result.lastAt}`) +
      `; head: ${result.head}; keys: ${result.keys.join(', ') || 'none'}`,
  );
  for (const problem of result.problems.slice(0, 100)) console.log(`${problem.kind}: ${problem.message}`);
  if (result.problems.length > 100) console.log(`… and ${result.problems.length - 100} more problems`);
  console.log(result.ok ? 'audit log verifies' : 'AUDIT LOG DOES NOT VERIFY');
  if (values.shipped === undefined) return result.ok ? 0 : 1;
  const shipped = await compareShippedCopy({ paths, shippedFile: values.shipped });
  console.log(
    `shipped copy: ${shipped.shipped} record(s) up to seq ${shipped.shippedLastSeq ?? '—'}; ` +
      `local: ${shipped.local} up to seq ${shipped.localLastSeq ?? '—'}; not shipped yet: ${shipped.notShipped}; ` +
      `missing from the copy: ${shipped.missingFromCopy}`,
  );
  for (const problem of shipped.problems.slice(0, 100)) console.log(`${problem.kind}: seq ${problem.seq}`);
  if (shipped.problems.length > 100) console.log(`… and ${shipped.problems.length - 100} more problems`);
  console.log(
    shipped.ok ? 'shipped copy agrees' : 'SHIPPED COPY DISAGREES: the local log was cut or rewritten',
  );
  return result.ok && shipped.ok ? 0 : 1;
}

async function report(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      keys: { type: 'string', multiple: true },
      log: { type: 'string', multiple: true },
      scan: { type: 'string', multiple: true },
      'no-head': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(`usage: ${REPORT_USAGE}\nexit status: 0 verified and no card number found, 1 not, 2 usage`);
    return 0;
  }
  const from = parseDate(values.from, 'from');
  const to = parseDate(values.to, 'to');
  if (to <= from) throw new UsageError('--to must be after --from');
  const data = await collectAuditReport({
    logPaths: values.log ?? [defaultLog],
    publicKeys: values.keys ?? [defaultKeys],
    from,
    to,
    scanPaths: values.scan ?? [runDir],
    maskingEvidenceDirs: [resolve(runDir, 'masking-check')],
    requireHead: !values['no-head'],
  });
  const html = renderAuditReport(data);
  const out =
    values.out ?? `tonewall-audit-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.html`;
  await writeFile(out, html, { mode: 0o644 });
  const { figures: f, verification: v, scan } = data;
  console.log(`wrote ${out}`);
  console.log(
    `calls ${f.calls.handled} (masked from answer ${f.calls.maskedFromAnswer}), payments ${f.payments.started}; ` +
      `chain ${v.ok ? 'verifies' : 'DOES NOT VERIFY'}; card numbers found ${scan.findings.length}`,
  );
  return v.ok && scan.findings.length === 0 ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'verify') return await verify(rest);
    if (command === 'report') return await report(rest);
    if (command === undefined || command === '-h' || command === '--help') {
      console.log(USAGE);
      return 0;
    }
    console.error(`audit: unknown sub-command '${command}'\n${USAGE}`);
    return 2;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`audit: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    if (isGatewayError(error)) console.error(`audit: ${error.code}: ${error.message}`);
    else console.error(`audit: ${(error as Error).message ?? 'failed'}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));

/**
 * Issue 16, item 3: the audit log ships off the host as it is written — syslog over mutual TLS to a
 * real rsyslog (Debian's, started here on loopback with the configuration `up` uses) — and `audit
 * verify --shipped` compares the local log with the receiver's copy, so a rollback shows.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditShipper } from '../../src/adapters/audit/audit-shipper.js';
import { AuditSigner } from '../../src/adapters/audit/audit-signer.js';
import { AuditStoreThread } from '../../src/adapters/audit/audit-store-thread.js';
import { compareShippedCopy } from '../../src/adapters/audit/shipped-copy.js';
import { SyslogTlsSender } from '../../src/adapters/audit/syslog-tls-sender.js';
import { systemClock } from '../../src/application/clock.js';
import { startAuditShipping } from '../../src/composition/start-audit-shipping.js';
import { auditSettings } from '../../src/config/audit-settings.js';
import { captureLogs } from '../support/log-capture.js';
import { REPO_ROOT } from '../support/stack.js';
import { TEST_KEYS_DIR } from '../support/test-run.js';

const run = promisify(execFile);
/** Not `up`'s 6514: a dev stack may be running beside the suite. */
const PORT = 6524;

let work: string;
let receiverDir: string;
let logDir: string;
let signer: AuditSigner;

function receiver(fn: 'audit_receiver_up' | 'audit_receiver_down'): Promise<unknown> {
  const script = `set -euo pipefail; . "$TONEWALL_ROOT/scripts/lib/stack.sh"; ${fn} "$@"`;
  const args = fn === 'audit_receiver_up' ? [receiverDir, String(PORT), TEST_KEYS_DIR] : [receiverDir];
  return run('bash', ['-c', script, 'receiver', ...args], {
    env: { ...process.env, TONEWALL_ROOT: REPO_ROOT },
    timeout: 30_000,
  });
}

const shippedFile = () => join(receiverDir, 'audit.log');
const shippedLines = () =>
  existsSync(shippedFile()) ? readFileSync(shippedFile(), 'utf8').split('\n').filter(Boolean) : [];
const localLines = () => readdirLines(logDir);

function readdirLines(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean));
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function settingsFor(directory: string) {
  return auditSettings({
    TONEWALL_ROOT: REPO_ROOT,
    TONEWALL_KEYS_DIR: TEST_KEYS_DIR,
    TONEWALL_AUDIT_DIR: directory,
    TONEWALL_AUDIT_KEY: 'audit-signing.key',
    TONEWALL_AUDIT_MAX_FILE_BYTES: 1 << 20,
    TONEWALL_AUDIT_SHIP_TO: `127.0.0.1:${PORT}`,
    TONEWALL_AUDIT_SHIP_CA: 'ca.pem',
    TONEWALL_AUDIT_SHIP_CERT: 'gateway-client.pem',
    TONEWALL_AUDIT_SHIP_KEY: 'gateway-client.key',
  });
}

async function openLog(): Promise<AuditStoreThread> {
  return AuditStoreThread.open({ directory: logDir, signer, maxFileBytes: 1 << 20, clock: systemClock });
}

const entry = (n: number) => ({
  type: 'auth.event' as const,
  actor: `user:agent-${n}`,
  data: { event: 'sign-in', outcome: 'ok' },
});

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tonewall-shipping-'));
  receiverDir = join(work, 'receiver');
  logDir = join(work, 'audit');
  signer = await AuditSigner.fromFile(join(TEST_KEYS_DIR, 'audit-signing.key'));
  await receiver('audit_receiver_up');
});

afterAll(async () => {
  await receiver('audit_receiver_down').catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

describe('the audit log shipped to rsyslog over mutual TLS', () => {
  let log: AuditStoreThread;
  let shipper: AuditShipper | undefined;
  const logs = captureLogs('info');

  it('every record reaches the receiver byte for byte, as it is written', async () => {
    log = await openLog();
    shipper = await startAuditShipping({
      settings: settingsFor(logDir),
      clock: systemClock,
      logger: logs.logger,
    });
    for (let n = 0; n < 20; n += 1) await log.append(entry(n));
    await until('21 shipped records', () => shippedLines().length >= 21);
    expect(shippedLines()).toEqual(localLines());
    const comparison = await compareShippedCopy({ paths: [logDir], shippedFile: shippedFile() });
    expect(comparison).toMatchObject({ ok: true, shipped: 21, local: 21, notShipped: 0, problems: [] });
  });

  it('a receiver outage is logged once, and what was written meanwhile ships when it is back', async () => {
    await receiver('audit_receiver_down');
    for (let n = 20; n < 30; n += 1) await log.append(entry(n));
    await until('the shipper to notice', () => shipper?.status.state === 'retrying');
    expect(logs.lines.filter((line) => line.includes('GW_ERR_AUDIT_SHIP'))).toHaveLength(1);
    const during = await compareShippedCopy({ paths: [logDir], shippedFile: shippedFile() });
    expect(during).toMatchObject({ ok: true, notShipped: 10 });
    await receiver('audit_receiver_up');
    await until('31 shipped records', () => new Set(shippedLines()).size >= 31, 20_000);
    expect(shipper?.status.state).toBe('shipping');
    expect(logs.text()).toContain('audit shipping resumed');
    const after = await compareShippedCopy({ paths: [logDir], shippedFile: shippedFile() });
    expect(after).toMatchObject({ ok: true, local: 31, notShipped: 0 });
    await log.close();
    await shipper?.stop();
    // the close's log.closed went too
    expect(new Set(shippedLines()).size).toBe(32);
  });

  it('`audit verify --shipped` passes on the untouched log and finds a rollback', async () => {
    const verify = () =>
      run(
        join(REPO_ROOT, 'node_modules/.bin/tsx'),
        [
          'scripts/audit.ts',
          'verify',
          '--keys',
          join(TEST_KEYS_DIR, 'audit-keyring.json'),
          '--shipped',
          shippedFile(),
          logDir,
        ],
        { cwd: REPO_ROOT, timeout: 60_000 },
      ).then(
        (result) => ({ code: 0, stdout: result.stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    const clean = await verify();
    expect(clean.stdout).toContain('shipped copy agrees');
    expect(clean.code).toBe(0);

    // an operator rolls the log back: the last five records cut off (the head file with them)
    const segment = readdirLines(logDir);
    const keep = segment.slice(0, -5).reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
    const file = readdirSync(logDir)
      .filter((name) => name.endsWith('.jsonl'))
      .sort()[0] as string;
    truncateSync(join(logDir, file), keep);
    rmSync(join(logDir, 'audit-head.json'));
    const cut = await compareShippedCopy({ paths: [logDir], shippedFile: shippedFile() });
    expect(cut.ok).toBe(false);
    expect(cut.problems.filter((p) => p.kind === 'missing-locally')).toHaveLength(5);
    const rolledBack = await verify();
    expect(rolledBack.stdout).toContain('SHIPPED COPY DISAGREES');
    expect(rolledBack.code).toBe(1);
    // (the local log alone, without its head, still verifies with --no-head: only the copy shows it)

    // and writes on from there: the receiver now holds two versions of those numbers
    const again = await openLog();
    const shipping = await startAuditShipping({
      settings: settingsFor(logDir),
      clock: systemClock,
      logger: logs.logger,
    });
    await again.append(entry(99));
    await again.close();
    await shipping?.stop();
    const rewritten = await compareShippedCopy({ paths: [logDir], shippedFile: shippedFile() });
    expect(rewritten.problems.map((p) => p.kind)).toContain('two-versions');
    expect(rewritten.problems.map((p) => p.kind)).toContain('differs');
  });

  it('the receiver takes nothing from a client whose certificate is not from the CA (negative control)', async () => {
    const forge = await import('node-forge');
    const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    cert.setSubject([{ name: 'commonName', value: 'intruder' }]);
    cert.setIssuer([{ name: 'commonName', value: 'intruder' }]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    const before = shippedLines().length;
    const sender = new SyslogTlsSender({
      host: '127.0.0.1',
      port: PORT,
      ca: readFileSync(join(TEST_KEYS_DIR, 'ca.pem')),
      cert: Buffer.from(forge.pki.certificateToPem(cert)),
      key: Buffer.from(forge.pki.privateKeyToPem(keys.privateKey)),
      appName: 'tonewall',
      msgId: 'audit',
      connectTimeoutMs: 5000,
      now: () => Date.now(),
    });
    await sender.send(['{"forged":true}']).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    sender.close();
    expect(shippedLines().length).toBe(before);
    expect(shippedLines().join('\n')).not.toContain('forged');
  });
});

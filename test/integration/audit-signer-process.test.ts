/**
 * Issue 16, item 3: audit custody across users. The signer (dist/signer/main.js) runs as root here
 * and alone can read the signing key (0600); the log's writer — the gateway's audit store, built —
 * runs as `nobody`, asks the signer over its socket (group `nogroup`, mode 0660) and cannot read the
 * key. The log it writes verifies with the public key. Without the socket's group the writer cannot
 * even reach the signer (the negative control). As in the container image (Dockerfile target
 * `signer`), the signer also runs as an unprivileged user of its own (`daemon` here), a member of the
 * socket's group only to give the socket to it, with its key its own; the writer is a third user.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditKeyring } from '../../src/adapters/audit/audit-keyring.js';
import { verifyAuditLog } from '../../src/adapters/audit/audit-verifier.js';
import { makeKey } from '../contract/audit/support.js';
import { REPO_ROOT } from '../support/stack.js';

const run = promisify(execFile);
const NOBODY = 65534;
const DAEMON = 1;
const WRITER = join(REPO_ROOT, 'test/support/fixtures/signed-audit-writer.mjs');

let work: string;
let keys: string;
const signers: ChildProcess[] = [];

/** `as`: run the signer as this uid, with the socket's group as its only other group (setpriv). */
async function startSigner(
  name: string,
  group: string | undefined,
  as?: { uid: number; keys: string },
): Promise<string> {
  const dir = join(work, name);
  mkdirSync(dir);
  chmodSync(dir, 0o711); // not by mkdir's mode: the suite runs under umask 077 (scripts/lib/stack.sh)
  if (as) {
    // the image's socket folder: the signer's, the socket's group may enter (0750)
    chownSync(dir, as.uid, NOBODY);
    chmodSync(dir, 0o750);
  }
  const socket = join(dir, 'signer.sock');
  const node = [join(REPO_ROOT, 'dist/signer/main.js')];
  const [command, args] = as
    ? ['setpriv', [`--reuid=${as.uid}`, `--regid=${as.uid}`, `--groups=${NOBODY}`, process.execPath, ...node]]
    : [process.execPath, node];
  const child = spawn(command, args, {
    env: {
      PATH: process.env.PATH,
      TONEWALL_LOG_LEVEL: 'warn',
      TONEWALL_AUDIT_KEY: join(as?.keys ?? keys, 'audit-signing.key'),
      TONEWALL_AUDIT_SIGNER_SOCKET: socket,
      TONEWALL_AUDIT_SIGNER_STATE: join(dir, 'state.json'),
      ...(group === undefined ? {} : { TONEWALL_AUDIT_SIGNER_GROUP: group }),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  signers.push(child);
  const end = Date.now() + 10_000;
  while (!existsSync(socket)) {
    if (Date.now() > end || child.exitCode !== null) throw new Error('the signer did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return socket;
}

function logDirForNobody(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { mode: 0o700 });
  chownSync(dir, NOBODY, NOBODY);
  return dir;
}

async function writeAsNobody(socket: string, dir: string, count: number, keyDir = keys) {
  const result = await run(
    process.execPath,
    [WRITER, socket, dir, join(keyDir, 'audit-signing.key'), String(count)],
    {
      uid: NOBODY,
      gid: NOBODY,
      cwd: work,
      timeout: 30_000,
    },
  ).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
  return { code: result.code, ...(JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as object) };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tonewall-signer-'));
  chmodSync(work, 0o711);
  keys = join(work, 'keys');
  mkdirSync(keys, { mode: 0o700 });
  makeKey(keys, 'audit-signing');
});

afterAll(() => {
  for (const child of signers) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

describe('the audit signer under its own user', () => {
  it('the writer, another user, cannot read the key, yet every record it writes is signed and verifies', async () => {
    expect(process.getuid?.()).toBe(0); // the suite runs as root (it installs with apt-get)
    const socket = await startSigner('signer', 'nogroup');
    const dir = logDirForNobody('log');
    const written = await writeAsNobody(socket, dir, 12);
    expect(written).toMatchObject({ code: 0, keyRead: 'EACCES', appended: 12 });
    const result = await verifyAuditLog({ paths: [dir], keyring: await AuditKeyring.load([keys]) });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, records: 14, head: 'ok' });
  });

  it('without the socket group the writer cannot reach the signer, and writes nothing (negative control)', async () => {
    const socket = await startSigner('closed', undefined);
    const dir = logDirForNobody('log-closed');
    const written = await writeAsNobody(socket, dir, 3);
    expect(written).toMatchObject({ code: 1, keyRead: 'EACCES', appended: 0, error: 'GW_ERR_AUDIT_SIGNER' });
  });

  it('the signer itself unprivileged, as in the image: its key its own, the socket given to the group', async () => {
    const signerKeys = join(work, 'signer-keys');
    mkdirSync(signerKeys, { mode: 0o700 });
    makeKey(signerKeys, 'audit-signing');
    for (const file of [signerKeys, join(signerKeys, 'audit-signing.key')]) chownSync(file, DAEMON, DAEMON);
    const socket = await startSigner('unprivileged', 'nogroup', { uid: DAEMON, keys: signerKeys });
    const stat = statSync(socket);
    expect({ uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o777 }).toEqual({
      uid: DAEMON,
      gid: NOBODY,
      mode: 0o660,
    });
    const dir = logDirForNobody('log-unprivileged');
    const written = await writeAsNobody(socket, dir, 5, signerKeys);
    expect(written).toMatchObject({ code: 0, keyRead: 'EACCES', appended: 5 });
    const result = await verifyAuditLog({ paths: [dir], keyring: await AuditKeyring.load([signerKeys]) });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, records: 7, head: 'ok' });
  });
});

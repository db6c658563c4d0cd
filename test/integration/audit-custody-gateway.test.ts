/**
 * Issue 16, item 3, with the real gateway: dist/main.js runs unprivileged (`nobody`, kept only
 * CAP_NET_BIND_SERVICE for privileged DTMF report ports, as `up` would have to run it) with a run
 * folder of its own; the real signer (dist/signer/main.js) runs as another user (`daemon`) with the
 * signing key its own (0600) and gives its socket to the gateway's group. The gateway's audit
 * records — start, refused bearer tokens, stop — are signed through the signer and verify with the
 * pinned keyring; a process with the gateway's exact credentials gets EACCES reading the key; and
 * the same gateway told to read the key itself cannot start (the negative control).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditKeyring } from '../../src/adapters/audit/audit-keyring.js';
import { verifyAuditLog } from '../../src/adapters/audit/audit-verifier.js';
import { GATEWAY_NODE_FLAGS } from '../support/gateway-process.js';
import { REPO_ROOT } from '../support/stack.js';
import { TEST_KEYS_DIR, testGatewayEnv } from '../support/test-run.js';
import { processCredentials, readAs, setprivArgs } from '../support/unprivileged.js';

const GATEWAY = { uid: 65534, gid: 65534 }; // nobody:nogroup
const SIGNER = { uid: 1, gid: 1 }; // daemon:daemon
const SOCKET_GROUP = 65534; // nogroup: the gateway's group, given the signer's socket
const HTTP_PORT = 8086;
/**
 * Privileged DTMF report ports of its own (below 1024, as 999/998 are): the gateway of the test file
 * before may not have let go of 999/998 yet (CI saw this gateway exit 1 on a taken port).
 */
const DTMF_PORTS = [997, 996] as const;
const RUN = 'custody';
/** What the gateway reads from the run's keys: CA, its client pair, the processor's keys, the keyring. */
const GATEWAY_KEY_FILES = /^(ca\.pem|gateway-client\.(pem|key)|processor-enc-\d+\.pem|audit-keyring\.json)$/;

let work: string;
let root: string;
let gatewayKeys: string;
let signerKey: string;
let socket: string;
const children: ChildProcess[] = [];

function ownedDir(path: string, owner: { uid: number; gid: number }, mode: number): string {
  mkdirSync(path, { recursive: true });
  chownSync(path, owner.uid, owner.gid);
  chmodSync(path, mode);
  return path;
}

async function waitFor(
  what: string,
  ready: () => boolean | Promise<boolean>,
  child: ChildProcess,
  logPath?: string,
) {
  const end = Date.now() + 10_000;
  while (!(await ready())) {
    if (child.exitCode !== null) {
      const log = logPath && existsSync(logPath) ? readFileSync(logPath, 'utf8').slice(-1500) : '';
      throw new Error(`${what} exited with ${child.exitCode}${log ? `; its log ends:\n${log}` : ''}`);
    }
    if (Date.now() > end) throw new Error(`${what} was not ready in 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The gateway, unprivileged: its log (written by this process) in the work folder. */
function spawnGateway(name: string, env: Record<string, string>): ChildProcess {
  const log = createWriteStream(join(work, `${name}.log`), { flags: 'a' });
  const setpriv = setprivArgs({ ...GATEWAY, groups: [SOCKET_GROUP], caps: ['net_bind_service'] });
  const child = spawn(
    'setpriv',
    [...setpriv, process.execPath, ...GATEWAY_NODE_FLAGS, join(REPO_ROOT, 'dist', 'main.js')],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        ...testGatewayEnv({
          TONEWALL_ROOT: root,
          TONEWALL_RUN_NAME: RUN,
          TONEWALL_KEYS_DIR: gatewayKeys,
          TONEWALL_AUDIT_KEY: signerKey,
          TONEWALL_HTTP_PORT: String(HTTP_PORT),
          TONEWALL_DTMF_LOG_DEST: `127.0.0.1:${DTMF_PORTS[0]}`,
          TONEWALL_MASK_DTMF_LOG_DEST: `127.0.0.1:${DTMF_PORTS[1]}`,
          TONEWALL_LOG_LEVEL: 'info',
        }),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

beforeAll(async () => {
  expect(process.getuid?.()).toBe(0); // the suite runs as root: it starts users of its own
  expect(existsSync(join(TEST_KEYS_DIR, 'audit-signing.key')), 'global-setup makes the keys').toBe(true);
  work = mkdtempSync(join(tmpdir(), 'tonewall-custody-'));
  chmodSync(work, 0o711);
  // the signer's folder: its key (0600) and state its own, the socket's group may enter
  const signerDir = ownedDir(join(work, 'signer'), SIGNER, 0o750);
  chownSync(signerDir, SIGNER.uid, SOCKET_GROUP);
  const signerKeys = ownedDir(join(work, 'signer-keys'), SIGNER, 0o700);
  signerKey = join(signerKeys, 'audit-signing.key');
  copyFileSync(join(TEST_KEYS_DIR, 'audit-signing.key'), signerKey);
  chownSync(signerKey, SIGNER.uid, SIGNER.gid);
  chmodSync(signerKey, 0o600);
  // the gateway's root: its run folder and the keys it reads, its own; never the signing key
  root = ownedDir(join(work, 'root'), GATEWAY, 0o700);
  // each level its own: under the suite's umask 077 a folder mkdir made on the way would be root's
  // 0700, and the gateway could not reach its audit folder (GW_ERR_AUDIT_LOG; CI saw it twice)
  ownedDir(join(root, '.run'), GATEWAY, 0o700);
  ownedDir(join(root, '.run', RUN), GATEWAY, 0o700);
  gatewayKeys = ownedDir(join(root, 'keys'), GATEWAY, 0o700);
  for (const file of readdirSync(TEST_KEYS_DIR).filter((name) => GATEWAY_KEY_FILES.test(name))) {
    copyFileSync(join(TEST_KEYS_DIR, file), join(gatewayKeys, file));
    chownSync(join(gatewayKeys, file), GATEWAY.uid, GATEWAY.gid);
  }
  socket = join(signerDir, 'signer.sock');
  const signer = spawn(
    'setpriv',
    [
      ...setprivArgs({ ...SIGNER, groups: [SOCKET_GROUP] }),
      process.execPath,
      join(REPO_ROOT, 'dist', 'signer', 'main.js'),
    ],
    {
      cwd: signerDir,
      env: {
        PATH: process.env.PATH ?? '',
        TONEWALL_LOG_LEVEL: 'warn',
        TONEWALL_AUDIT_KEY: signerKey,
        TONEWALL_AUDIT_SIGNER_SOCKET: socket,
        TONEWALL_AUDIT_SIGNER_STATE: join(signerDir, 'state.json'),
        TONEWALL_AUDIT_SIGNER_GROUP: String(SOCKET_GROUP),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  children.push(signer);
  await waitFor('the signer', () => existsSync(socket), signer);
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.all(children.map(exited));
  rmSync(work, { recursive: true, force: true });
});

describe('the real gateway, unprivileged, signs through the signer and cannot read the key', () => {
  it('its records verify with the pinned keyring, and its user gets EACCES on the key', async () => {
    const url = `http://127.0.0.1:${HTTP_PORT}`;
    const healthy = () =>
      fetch(`${url}/healthz`).then(
        () => true,
        () => false,
      );
    const gateway = spawnGateway('gateway', { TONEWALL_AUDIT_SIGNER_SOCKET: socket });
    await waitFor('the gateway', healthy, gateway, join(work, 'gateway.log'));

    // who the gateway runs as: nobody, the socket's group, CAP_NET_BIND_SERVICE and nothing else
    const pid = gateway.pid ?? 0;
    const credentials = processCredentials(pid);
    expect(credentials).toEqual({ ...GATEWAY, groups: [SOCKET_GROUP], capEff: '0000000000000400' });
    // it holds the privileged DTMF report ports as that user
    const udp = readFileSync('/proc/net/udp', 'utf8');
    for (const port of DTMF_PORTS) {
      const held = udp.split('\n').some((line) => {
        const fields = line.trim().split(/\s+/);
        return (
          fields[1]?.endsWith(`:${port.toString(16).toUpperCase().padStart(4, '0')}`) &&
          fields[7] === String(GATEWAY.uid)
        );
      });
      expect(held, `UDP ${port} bound by uid ${GATEWAY.uid}`).toBe(true);
    }

    // the key: the gateway's credentials cannot read it; root can (the path is right)
    expect(await readAs(credentials, signerKey)).toBe('EACCES');
    expect(readFileSync(signerKey, 'utf8')).toContain('PRIVATE KEY');
    const keyStat = statSync(signerKey);
    expect({ uid: keyStat.uid, mode: keyStat.mode & 0o777 }).toEqual({ uid: SIGNER.uid, mode: 0o600 });

    // audit records: three refused bearer tokens, then the stop
    for (let n = 0; n < 3; n += 1) {
      const response = await fetch(`${url}/v1/calls`, {
        headers: { authorization: 'Bearer wrong-key-123456789' },
      });
      expect(response.status).toBe(401);
    }
    gateway.kill('SIGTERM');
    expect(await exited(gateway)).toBe(0);

    const auditDir = join(root, '.run', RUN, 'audit');
    const keyring = await AuditKeyring.load([join(gatewayKeys, 'audit-keyring.json')]);
    const result = await verifyAuditLog({ paths: [auditDir], keyring });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, head: 'ok' });
    const lines = readdirSync(auditDir)
      .filter((name) => name.endsWith('.jsonl'))
      .flatMap((name) => readFileSync(join(auditDir, name), 'utf8').trim().split('\n'));
    const records = lines.map((line) => JSON.parse(line) as { type: string; data?: Record<string, unknown> });
    expect(records.length).toBe(result.records);
    expect(records.at(0)?.type).toBe('log.opened');
    expect(records.at(-1)?.type).toBe('log.closed');
    const refused = records.filter((record) => record.type === 'auth.event');
    expect(refused.map((record) => [record.data?.event, record.data?.outcome])).toEqual(
      Array.from({ length: 3 }, () => ['bearer', 'denied']),
    );
  });

  it('told to read the key itself instead of asking the signer, the same gateway cannot start', async () => {
    const gateway = spawnGateway('gateway-own-key', { TONEWALL_HTTP_PORT: String(HTTP_PORT + 1) });
    expect(await exited(gateway)).toBe(78); // EX_CONFIG
    expect(readFileSync(join(work, 'gateway-own-key.log'), 'utf8')).toContain(
      'TONEWALL_AUDIT_KEY: cannot be read (EACCES)',
    );
  });
});

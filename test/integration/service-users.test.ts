/**
 * Issue 16, item 3, as `up` runs it: `./scripts/tonewall up --no-build` started by root (this suite's
 * user) on a run and ports of its own makes the system users and starts the gateway as `tonewall`
 * (CAP_NET_BIND_SERVICE alone, group `tonewall-audit`) and the audit signer as `tonewall-signer`
 * (scripts/lib/service-users.sh). Read from /proc: who each runs as; the gateway's credentials get
 * EACCES on the signing key, the signer's read it; /healthz answers; the served report's chain
 * verifies. An agent `users add` makes (as root) signs in with password and code, and their own cap
 * (`--max-amount`, issue 16 item 4) holds on that process. `keys` run while `up` runs leaves the two users their keys (it once made the folder root's
 * 0700: the gateway could not have restarted). `down` stops it all, and the log it left verifies with
 * the pinned keyring. With TONEWALL_SERVICE_USERS=off the first test fails (the gateway is root).
 *
 * --no-build: the suite's dist/ (built before it) and node_modules are used as they are, never rebuilt
 * under the other files (checked by their modification times).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditKeyring } from '../../src/adapters/audit/audit-keyring.js';
import { verifyAuditLog } from '../../src/adapters/audit/audit-verifier.js';
import { ownStackEnv, REPO_ROOT } from '../support/stack.js';
import { type Credentials, processCredentials, readAs } from '../support/unprivileged.js';

const RUN = 'service-users';
const RUN_DIR = join(REPO_ROOT, '.run', RUN);
const KEYS_DIR = join(RUN_DIR, 'keys');
const API_KEY = 'service-users-test-key-0123456789abcdef';
/** None of the suite's (SIP 5060/5061, NG 2223–2227, DTMF 999/998, HTTP 8080, sandbox 8443, …). */
const PORTS = {
  sip: 6660,
  sipTls: 6661,
  evapi: 6648,
  rpc: 6671,
  ng: 6623,
  maskNg: 6625,
  muteNg: 6627,
  rtpMin: 17000,
  rtpMax: 17299,
  /** privileged, as `up`'s default 999/998: the gateway binds them through CAP_NET_BIND_SERVICE */
  dtmf: 995,
  tones: 994,
  http: 6680,
  sandbox: 6643,
  receiver: 6614,
} as const;
const ENV: Record<string, string> = {
  ...ownStackEnv({
    ...PORTS,
    agent: { address: '127.0.0.41', port: 6681 },
    carrier: '127.0.0.42:6681',
  }),
  TONEWALL_RUN_NAME: RUN,
  TONEWALL_KEYS_DIR: KEYS_DIR,
  TONEWALL_MASK_DTMF_LOG_DEST: `127.0.0.1:${PORTS.tones}`,
  TONEWALL_SIP_TLS_PORT: String(PORTS.sipTls),
  TONEWALL_HTTP_PORT: String(PORTS.http),
  TONEWALL_SANDBOX_PORT: String(PORTS.sandbox),
  TONEWALL_AUDIT_RECEIVER_PORT: String(PORTS.receiver),
  TONEWALL_API_KEY: API_KEY,
  TONEWALL_PROMPTS: 'off',
};
/** Any other local user. */
const NOBODY: Credentials = { uid: 65534, gid: 65534, groups: [], capEff: '0000000000000000' };
const URL = `http://127.0.0.1:${PORTS.http}`;
/** What --no-build must leave alone. */
const UNTOUCHED = [
  join(REPO_ROOT, 'dist', 'main.js'),
  join(REPO_ROOT, 'node_modules', '.tonewall-lock.sha256'),
];

/** `./scripts/tonewall ARGS…` with this run's settings and `env`. */
function tonewall(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      join(REPO_ROOT, 'scripts', 'tonewall'),
      args,
      // the command's environment as a shell's would be, with this run's settings
      { env: { ...process.env, ...ENV, ...env }, timeout: 75_000, maxBuffer: 4 << 20 },
      (error, stdout, stderr) =>
        error
          ? reject(
              new Error(
                `tonewall ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}${logTail()}`,
              ),
            )
          : resolve({ stdout, stderr }),
    );
  });
}

function logTail(): string {
  const log = join(RUN_DIR, 'gateway.log');
  return existsSync(log) ? `\ngateway.log ends:\n${readFileSync(log, 'utf8').slice(-1500)}` : '';
}

/** uid of a user, gid of a group (getent). */
function idOf(database: 'passwd' | 'group', name: string): number {
  return Number(execFileSync('getent', [database, name], { encoding: 'utf8' }).split(':')[2]);
}

/** Local ports bound on this host (TCP listening, UDP any), from /proc/net. */
function boundPorts(): Set<number> {
  const ports = new Set<number>();
  for (const [file, listening] of [
    ['tcp', true],
    ['tcp6', true],
    ['udp', false],
    ['udp6', false],
  ] as const) {
    const path = `/proc/net/${file}`;
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4 || (listening && fields[3] !== '0A')) continue;
      ports.add(Number.parseInt(fields[1]?.split(':')[1] ?? '', 16));
    }
  }
  return ports;
}

/** The pid `up` wrote for one of its processes, and that it runs. */
function pidOf(name: string): number {
  const pid = Number(readFileSync(join(RUN_DIR, `${name}.pid`), 'utf8').trim());
  expect(existsSync(`/proc/${pid}`), `${name} (pid ${pid}) runs`).toBe(true);
  return pid;
}

const mtimes = () => UNTOUCHED.map((file) => statSync(file).mtimeMs);

let upOutput = '';
let mtimesBefore: number[] = [];
let gateway: Credentials;
let signer: Credentials;
let gatewayPid = 0;
let signerPid = 0;

beforeAll(async () => {
  expect(process.getuid?.(), 'the suite runs as root: `up` makes users only then').toBe(0);
  const taken = boundPorts();
  const wanted = [
    ...Object.entries(PORTS).filter(([name]) => !name.startsWith('rtp')),
    ...Array.from({ length: PORTS.rtpMax - PORTS.rtpMin + 1 }, (_, n) => ['rtp', PORTS.rtpMin + n] as const),
  ];
  const busy = wanted.filter(([, port]) => taken.has(port));
  expect(busy, 'ports this file starts its own stack on are taken').toEqual([]);
  // a run left by a test killed half-way: stop what it may have left by its pid files, start afresh
  await tonewall(['down']);
  rmSync(RUN_DIR, { recursive: true, force: true });
  mtimesBefore = mtimes();
  const { stdout } = await tonewall(['up', '--no-build']);
  upOutput = stdout;
  gatewayPid = pidOf('gateway');
  signerPid = pidOf('signer');
  gateway = processCredentials(gatewayPid);
  signer = processCredentials(signerPid);
});

afterAll(async () => {
  await tonewall(['down']);
});

describe('up run by root: the gateway and the signer under users of their own', () => {
  it('the gateway runs as tonewall with CAP_NET_BIND_SERVICE alone and the group tonewall-audit; the signer as tonewall-signer', () => {
    expect(upOutput).toContain('gateway up');
    expect(gateway).toEqual({
      uid: idOf('passwd', 'tonewall'),
      gid: idOf('group', 'tonewall'),
      groups: [idOf('group', 'tonewall-audit')],
      capEff: '0000000000000400',
    });
    expect(signer).toMatchObject({ uid: idOf('passwd', 'tonewall-signer'), capEff: '0000000000000000' });
    // the gateway holds the privileged DTMF report ports as that user
    const udp = readFileSync('/proc/net/udp', 'utf8').split('\n');
    for (const port of [PORTS.dtmf, PORTS.tones]) {
      const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
      const owners = udp.map((line) => line.trim().split(/\s+/)).filter((fields) => fields[1]?.endsWith(hex));
      expect(
        owners.map((fields) => Number(fields[7])),
        `UDP ${port}`,
      ).toEqual([gateway.uid]);
    }
    // --no-build: neither compiled nor installed
    expect(upOutput).not.toMatch(/compiling TypeScript|installing npm/);
    expect(mtimes()).toEqual(mtimesBefore);
  });

  it("the gateway's credentials get EACCES on the signing key; the signer's read it; the gateway reads its own key", async () => {
    const signingKey = join(KEYS_DIR, 'audit-signing.key');
    expect(await readAs(gateway, signingKey)).toBe('EACCES');
    expect(await readAs(signer, signingKey)).toBe('read');
    expect(await readAs(gateway, join(KEYS_DIR, 'gateway-client.key'))).toBe('read');
    expect(await readAs(signer, join(KEYS_DIR, 'gateway-client.key'))).toBe('EACCES');
    // the folder is the two services' alone (root:tonewall-audit 0750): another user cannot enter it
    expect(await readAs(gateway, join(KEYS_DIR, 'ca.pem'))).toBe('read');
    expect(await readAs(NOBODY, join(KEYS_DIR, 'ca.pem'))).toBe('EACCES');
    // the run's logs: root:tonewall 0640, read by the gateway for the served scan, by no other user
    for (const log of ['gateway.log', 'kamailio.log']) {
      const mode = statSync(join(RUN_DIR, log));
      expect({ uid: mode.uid, gid: mode.gid, mode: mode.mode & 0o777 }, log).toEqual({
        uid: 0,
        gid: idOf('group', 'tonewall'),
        mode: 0o640,
      });
      expect(await readAs(gateway, join(RUN_DIR, log)), log).toBe('read');
      expect(await readAs(NOBODY, join(RUN_DIR, log)), log).toBe('EACCES');
    }
  });

  it('/healthz answers 200 and the served audit report says the chain verifies and no card number was found', async () => {
    expect((await fetch(`${URL}/healthz`)).status).toBe(200);
    const response = await fetch(`${URL}/v1/audit/report`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<th>Audit chain (whole log)</th><td><span class="pass">verified</span>');
    expect(html).toContain('<th>Card-number scan</th><td><span class="pass">no card numbers found</span>');
  });

  it('an agent `users add` made as root signs in to the gateway running as tonewall, and their own cap holds there', async () => {
    const password = 'service-users-agent-password';
    const { stdout } = await tonewall(
      [
        'users',
        'add',
        'capped',
        '--role',
        'agent',
        '--agent-id',
        'agent-capped',
        '--max-amount',
        '50.00',
      ].concat(['--password-env', 'AGENT_PASSWORD', '--totp']),
      { NODE_AS_BUILT: '1', AGENT_PASSWORD: password },
    );
    const secret = /^authenticator key: ([A-Z2-7]+)$/m.exec(stdout)?.[1] ?? '';
    expect(secret, stdout).not.toBe('');
    // root rewrote the file: it is still the gateway's, which reads it at the sign-in
    expect(statSync(join(RUN_DIR, 'users.json')).uid).toBe(gateway.uid);
    const code = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
    const signIn = await fetch(`${URL}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: URL },
      body: JSON.stringify({ username: 'capped', password, code: code.generate() }),
    });
    expect(signIn.status).toBe(201);
    const { csrfToken, paymentLimits } = (await signIn.json()) as {
      csrfToken: string;
      paymentLimits?: { maxAmount: string };
    };
    expect(paymentLimits?.maxAmount).toBe('50.00');
    const headers = {
      'content-type': 'application/json',
      origin: URL,
      cookie: (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
      'x-csrf-token': csrfToken,
    };
    const pay = (amount: string) =>
      fetch(`${URL}/v1/calls/nocall${amount.replace('.', '')}/payments`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ idempotencyKey: `capped-${amount}`, chargeAmount: amount, currency: 'GBP' }),
      });
    // above the cap: refused before the call is looked up; within it, the call is what is missing
    const over = await pay('60.00');
    expect(over.status).toBe(403);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('GW_ERR_FORBIDDEN');
    expect((await pay('40.00')).status).toBe(404);
  });

  it('`keys` while up runs leaves the key folder and the keys as up set them: both can start again', async () => {
    // NODE_AS_BUILT=1: ensure_node_deps installs nothing (node-deps.sh), as under up --no-build
    await tonewall(['keys'], { NODE_AS_BUILT: '1' });
    const folder = statSync(KEYS_DIR);
    expect({ uid: folder.uid, gid: folder.gid, mode: folder.mode & 0o777 }).toEqual({
      uid: 0,
      gid: idOf('group', 'tonewall-audit'),
      mode: 0o750,
    });
    expect(await readAs(NOBODY, join(KEYS_DIR, 'ca.pem'))).toBe('EACCES');
    expect(await readAs(gateway, join(KEYS_DIR, 'gateway-client.key'))).toBe('read');
    expect(await readAs(gateway, join(KEYS_DIR, 'ca.pem'))).toBe('read');
    expect(await readAs(signer, join(KEYS_DIR, 'audit-signing.key'))).toBe('read');
    expect(await readAs(gateway, join(KEYS_DIR, 'audit-signing.key'))).toBe('EACCES');
  });

  it('down stops the processes it started, and the log they wrote verifies with the pinned keyring', async () => {
    const down = await tonewall(['down']);
    // each stopped on TERM (none needed the KILL that follows 5 s of waiting)
    expect(down.stderr, down.stdout).not.toContain('did not stop on TERM');
    for (const pid of [gatewayPid, signerPid]) expect(existsSync(`/proc/${pid}`), `pid ${pid}`).toBe(false);
    const auditDir = join(RUN_DIR, 'audit');
    const keyring = await AuditKeyring.load([join(KEYS_DIR, 'audit-keyring.json')]);
    const result = await verifyAuditLog({ paths: [auditDir], keyring });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, head: 'ok' });
    const last = readdirSync(auditDir)
      .filter((name) => name.endsWith('.jsonl'))
      .sort()
      .flatMap((name) => readFileSync(join(auditDir, name), 'utf8').trim().split('\n'))
      .at(-1);
    expect(JSON.parse(last ?? '{}').type).toBe('log.closed');
  });
});

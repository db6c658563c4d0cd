/**
 * `./scripts/tonewall up --pair --no-build` on a run and ports of its own (none of the suite's, nor
 * service-users.test.ts's): Redis, two media chains (A: the NG ports below, B: those + 10), Kamailio
 * with both chains in its rtpengine sets, the sandbox, and two gateways (gw-a on HTTP 6780 reading
 * chain A's reports, gw-b on 6790 reading chain B's). For the failover tests (pair-failover.test.ts):
 * which chain a call is on (Kamailio's dialog variable), each process's pid, kills and restarts.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { GatewayApi } from './gateway-api.js';
import { ownStackEnv, REPO_ROOT } from './stack.js';

export const PAIR_RUN = 'pair-failover';
export const PAIR_RUN_DIR = join(REPO_ROOT, '.run', PAIR_RUN);
export const PAIR_KEYS_DIR = join(PAIR_RUN_DIR, 'keys');
const API_KEY = 'pair-failover-test-key-0123456789abcdef';
const PORTS = {
  sip: 6760,
  evapi: 6748,
  rpc: 6771,
  ng: 6723,
  maskNg: 6725,
  muteNg: 6727,
  rtpMin: 17400,
  rtpMax: 17599,
  dtmf: 985,
  http: 6780,
  sandbox: 6743,
  receiver: 6714,
  redis: 6390,
} as const;
const OFFSET = 10;
export const PAIR_AGENT = { address: '127.0.0.51', port: 6781 } as const;
export const PAIR_PROXY = `127.0.0.1:${PORTS.sip}`;
export const PAIR_SANDBOX_URL = `https://127.0.0.1:${PORTS.sandbox}`;

export type Chain = 'A' | 'B';
/** Each chain's gateway: its instance name, API, and the pid files of its processes in the run. */
export const CHAINS = {
  A: {
    instance: 'gw-a',
    url: `http://127.0.0.1:${PORTS.http}`,
    engines: ['rtpengine', 'rtpengine-mask', 'rtpengine-mute'],
    gatewayPid: 'gateway',
    nodes: [PORTS.ng, PORTS.maskNg, PORTS.muteNg],
  },
  B: {
    instance: 'gw-b',
    url: `http://127.0.0.1:${PORTS.http + OFFSET}`,
    engines: ['rtpengine-b', 'rtpengine-b-mask', 'rtpengine-b-mute'],
    gatewayPid: 'gateway-b',
    nodes: [PORTS.ng + OFFSET, PORTS.maskNg + OFFSET, PORTS.muteNg + OFFSET],
  },
} as const;
export const otherChain = (chain: Chain): Chain => (chain === 'A' ? 'B' : 'A');
export const apiOf = (chain: Chain) => new GatewayApi(CHAINS[chain].url, API_KEY);

export const PAIR_ENV: Record<string, string> = {
  ...ownStackEnv({ ...PORTS, agent: PAIR_AGENT, carrier: '127.0.0.52:6781' }),
  TONEWALL_RUN_NAME: PAIR_RUN,
  TONEWALL_KEYS_DIR: PAIR_KEYS_DIR,
  TONEWALL_MASK_DTMF_LOG_DEST: `127.0.0.1:${PORTS.dtmf - 1}`,
  TONEWALL_SIP_TLS_PORT: String(PORTS.sip + 1),
  TONEWALL_HTTP_PORT: String(PORTS.http),
  TONEWALL_SANDBOX_PORT: String(PORTS.sandbox),
  TONEWALL_AUDIT_RECEIVER_PORT: String(PORTS.receiver),
  TONEWALL_PAIR_REDIS_PORT: String(PORTS.redis),
  TONEWALL_PAIR_PORT_OFFSET: String(OFFSET),
  TONEWALL_API_KEY: API_KEY,
  TONEWALL_PROMPTS: 'off',
  // the gateway-kill test: the sandbox holds the no-answer card's charge, the gateways reconcile fast
  TONEWALL_SANDBOX_HANG_MS: '6000',
  TONEWALL_PROCESSOR_URL: `${PAIR_SANDBOX_URL}/v1/tokens`,
  TONEWALL_PROCESSOR_TIMEOUT_MS: '3000',
  TONEWALL_PROCESSOR_DEADLINE_MS: '10000',
  TONEWALL_RECONCILE_INTERVAL_MS: '500',
  TONEWALL_RECONCILE_NOTHING_AFTER_MS: '0',
};

/** Runs bash `script` with scripts/lib/stack.sh sourced and the pair's settings (stack functions). */
export function pairShell(script: string, timeoutMs = 90_000): Promise<string> {
  return run(
    'bash',
    ['-c', `set -euo pipefail; . "$TONEWALL_ROOT/scripts/lib/stack.sh"; ${script}`],
    timeoutMs,
  );
}

/** `./scripts/tonewall ARGS…` on the pair's run and ports. */
export function pairTonewall(args: string[], timeoutMs = 120_000): Promise<string> {
  return run(join(REPO_ROOT, 'scripts', 'tonewall'), args, timeoutMs);
}

function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        env: { ...process.env, ...PAIR_ENV, TONEWALL_ROOT: REPO_ROOT },
        timeout: timeoutMs,
        maxBuffer: 4 << 20,
      },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`))
          : resolve(stdout),
    );
  });
}

/** The pid in the run's `<name>.pid`. */
export function pidOf(name: string): number {
  return Number(readFileSync(join(PAIR_RUN_DIR, `${name}.pid`), 'utf8').trim());
}

/** SIGKILLs the run's processes by their pid files and waits until each is gone. */
export async function killByPidFile(names: readonly string[]): Promise<void> {
  const pids = names.map(pidOf);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 5000;
  while (pids.some(alive)) {
    if (Date.now() > deadline) throw new Error(`${names.join(', ')} still running 5 s after SIGKILL`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A call's dialog variables as Kamailio lists them now (JSON-RPC dlg.list), undefined when it has no dialog. */
export async function dialogVarsOf(sipCallId: string): Promise<Record<string, string> | undefined> {
  const response = await fetch(`http://127.0.0.1:${PORTS.rpc}/RPC`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'dlg.list', id: 1 }),
    signal: AbortSignal.timeout(2000),
  });
  const { result = [] } = (await response.json()) as {
    result?: Array<{ 'call-id': string; variables?: Array<Record<string, string>> }>;
  };
  const dialog = result.find((entry) => entry['call-id'] === sipCallId);
  return dialog && Object.assign({}, ...(dialog.variables ?? []));
}

/** The chain carrying a call: its dialog's `media_node` (Kamailio JSON-RPC dlg.list) by NG port. */
export async function chainOfCall(sipCallId: string): Promise<Chain> {
  const node = (await dialogVarsOf(sipCallId))?.media_node ?? '';
  const port = Number(node.split(':').at(-1));
  const chain = (['A', 'B'] as const).find((name) =>
    (CHAINS[name].nodes as readonly number[]).includes(port),
  );
  if (!chain) throw new Error(`call ${sipCallId}: media_node '${node}' names neither chain`);
  return chain;
}

/** Whether the gateway of `chain` has its evapi connection to Kamailio (its /healthz). */
export async function seesKamailio(chain: Chain): Promise<boolean> {
  const response = await fetch(`${CHAINS[chain].url}/healthz`, { signal: AbortSignal.timeout(2000) });
  const health = (await response.json()) as { components?: { kamailio?: { status?: string } } };
  return health.components?.kamailio?.status === 'up';
}

/** An agent of the pair's users file (`users add … --totp`, made before `up`): signs in on either gateway. */
export class PairAgent {
  readonly name: string;
  readonly #password: string;
  readonly #totp: TOTP;

  private constructor(name: string, password: string, totpKey: string) {
    this.name = name;
    this.#password = password;
    this.#totp = new TOTP({ secret: Secret.fromBase32(totpKey), algorithm: 'SHA1', digits: 6, period: 30 });
  }

  /** `tonewall users add NAME --role agent --totp` into the run's users.json (the gateways' default). */
  static add(name: string, password: string): PairAgent {
    mkdirSync(PAIR_RUN_DIR, { recursive: true });
    const printed = execFileSync(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      ['scripts/users.ts', 'add', name, '--role', 'agent', '--agent-id', name, '--totp'],
      {
        cwd: REPO_ROOT,
        input: `${password}\n`,
        env: {
          PATH: process.env.PATH ?? '',
          TONEWALL_ROOT: REPO_ROOT,
          TONEWALL_USERS_FILE: join(PAIR_RUN_DIR, 'users.json'),
        },
        stdio: ['pipe', 'pipe', 'inherit'],
        encoding: 'utf8',
      },
    );
    const key = /^authenticator key: ([A-Z2-7]+)$/m.exec(printed)?.[1];
    if (!key) throw new Error(`users add --totp printed no key: ${printed}`);
    return new PairAgent(name, password, key);
  }

  /** Signs in on the gateway of `chain` (password and code): the session cookie. */
  async signIn(chain: Chain): Promise<string> {
    const response = await fetch(`${CHAINS[chain].url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: this.name, password: this.#password, code: this.#totp.generate() }),
    });
    const cookie = response.headers.get('set-cookie')?.split(';')[0];
    if (response.status !== 201 || !cookie) throw new Error(`sign-in on ${chain}: HTTP ${response.status}`);
    return cookie;
  }
}

/** Who `cookie`'s session is on the gateway of `chain` (GET /v1/session): its user's name, or the HTTP status. */
export async function sessionUserOn(chain: Chain, cookie: string): Promise<string> {
  const response = await fetch(`${CHAINS[chain].url}/v1/session`, { headers: { cookie } });
  if (!response.ok) return `HTTP ${response.status}`;
  return ((await response.json()) as { user?: { name?: string } }).user?.name ?? 'no user';
}

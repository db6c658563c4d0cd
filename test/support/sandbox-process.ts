import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './stack.js';

export type SandboxCharges = Record<
  string,
  { paymentId: string; charges: number; requests: number; outcome: string }
>;

export interface SandboxProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Charges and requests per idempotency key, from GET /_sandbox/charges over mTLS. */
  charges(): Promise<SandboxCharges>;
  stop(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts the sandbox processor (dist/sandbox/main.js) with the run's keys; waits for its port. */
export async function startSandboxProcess(options: {
  keysDir: string;
  port: number;
  logFile: string;
  /** How long the no-answer card holds its answer before it settles as charged (the sandbox's 60 s by default). */
  hangMs?: number;
}): Promise<SandboxProcess> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'sandbox', 'main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      TONEWALL_ROOT: REPO_ROOT,
      TONEWALL_KEYS_DIR: options.keysDir,
      TONEWALL_SANDBOX_PORT: String(options.port),
      ...(options.hangMs === undefined ? {} : { TONEWALL_SANDBOX_HANG_MS: String(options.hangMs) }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(options.port))) {
    if (child.exitCode !== null)
      throw new Error(`sandbox exited with ${child.exitCode}; see ${options.logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sandbox did not listen in 10 s; see ${options.logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = `https://127.0.0.1:${options.port}`;
  return {
    child,
    url,
    charges: () => sandboxCharges(url, options.keysDir),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      log.end();
    },
  };
}

/** A sandbox's charges and requests per idempotency key (GET /_sandbox/charges over mTLS with the key set's client pair). */
export function sandboxCharges(url: string, keysDir: string): Promise<SandboxCharges> {
  const tls = {
    cert: readFileSync(join(keysDir, 'gateway-client.pem')),
    key: readFileSync(join(keysDir, 'gateway-client.key')),
    ca: readFileSync(join(keysDir, 'ca.pem')),
  };
  return new Promise((resolve, reject) => {
    const req = request(`${url}/_sandbox/charges`, { ...tls }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve((JSON.parse(body) as { keys: SandboxCharges }).keys));
    });
    req.on('error', reject);
    req.end();
  });
}

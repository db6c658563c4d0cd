import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly logFile: string;
  /** SIGKILL: the crash case. */
  kill(): Promise<void>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
}

/**
 * Starts the compiled gateway (dist/main.js, built by `./scripts/tonewall test`) as its own process,
 * appending its log lines to `logFile`, and waits until it answers /healthz.
 */
/**
 * Node flags the gateway runs with, wherever it is started (scripts/lib/services.sh, the Dockerfile,
 * the bench, these tests): the young generation capped at 4 MiB semi-spaces. Node's default lets it
 * grow to 16 MiB semi-spaces under an allocation burst (start-up reading the payment status file, a
 * 150-call load) and the RSS stays there: ~30 MiB more at the same live data (docs/operations.md).
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = readFileSync(
  join(root, 'scripts', 'lib', 'gateway-node-flags'),
  'utf8',
)
  .split(/\s+/)
  .filter((flag) => flag.length > 0);

export async function startGatewayProcess(options: {
  env: Record<string, string>;
  logFile: string;
  httpPort: number;
}): Promise<GatewayProcess> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, join(root, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', ...options.env, TONEWALL_HTTP_PORT: String(options.httpPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${options.httpPort}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`gateway exited with ${child.exitCode}; see ${options.logFile}`);
    try {
      await fetch(`${url}/healthz`);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`gateway did not answer in 10 s; see ${options.logFile}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    log.end();
  };
  return { child, url, logFile: options.logFile, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

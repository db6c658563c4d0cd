import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
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
export async function startGatewayProcess(options: {
  env: Record<string, string>;
  logFile: string;
  httpPort: number;
}): Promise<GatewayProcess> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [join(root, 'dist', 'main.js')], {
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

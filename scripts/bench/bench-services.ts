/**
 * The bench's own stack in .run/bench: Kamailio + the three rtpengines (scripts/lib/stack.sh through
 * test/support/stack.ts), the sandbox processor and the gateway as processes. Everything started is
 * stopped by its PID, in reverse order, by `stopAll()` — also on failure and on Ctrl-C.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GATEWAY_NODE_FLAGS } from '../../test/support/gateway-process.js';
import { type SandboxProcess, startSandboxProcess } from '../../test/support/sandbox-process.js';
import { REPO_ROOT, type StackHandle, startStack } from '../../test/support/stack.js';
import { generateDevKeys } from '../keys.js';
import { BENCH_PORTS, BENCH_RUN_NAME, gatewayEnv, type MaskingMode, stackEnv } from './bench-ports.js';
import { restartKamailioOneHop } from './one-hop.js';
import { childrenOf } from './proc.js';

export const BENCH_RUN_DIR = join(REPO_ROOT, '.run', BENCH_RUN_NAME);

export interface StackPids {
  readonly rtpengineEdge: number;
  readonly rtpengineMask: number;
  readonly rtpengineMute: number;
  readonly kamailio: readonly number[];
}

export class BenchServices {
  readonly apiKey: string;
  readonly keysDir = join(BENCH_RUN_DIR, 'keys');
  #stack: { handle: StackHandle; masking: MaskingMode } | undefined;
  #sandbox: SandboxProcess | undefined;
  #gateway: ChildProcess | undefined;
  #promptsDir: string | undefined;

  readonly #prompts: boolean;

  /** `prompts`: whether the gateway plays the customer prompts (as `up` runs it: yes). */
  constructor(apiKey: string, { prompts = true }: { prompts?: boolean } = {}) {
    this.apiKey = apiKey;
    this.#prompts = prompts;
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${BENCH_PORTS.http}`;
  }

  /** Kamailio and the three rtpengines with the masking mode asked for (restarted when it changes). */
  async stack(masking: MaskingMode): Promise<StackHandle> {
    if (this.#stack?.masking === masking) return this.#stack.handle;
    await this.#stopStack();
    const env = stackEnv(masking);
    const handle = await startStack({ runName: BENCH_RUN_NAME, env, install: true });
    this.#stack = { handle, masking };
    if (masking === 'one-hop') await restartKamailioOneHop(BENCH_RUN_NAME, BENCH_RUN_DIR, env);
    return handle;
  }

  /**
   * The customer prompts, as `up` makes them (scripts/make-prompts.ts, espeak-ng, every language) into
   * .run/bench/prompts: the gateway plays them to every customer as it would in production (issue 20:
   * a bench with prompts off measured less than a contact centre runs). Made once; throws when they
   * cannot be made (espeak-ng missing: `stack_install` installs it).
   */
  prompts(): string {
    if (this.#promptsDir) return this.#promptsDir;
    const dir = join(BENCH_RUN_DIR, 'prompts');
    const made = spawnSync(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [join(REPO_ROOT, 'scripts', 'make-prompts.ts'), '--dir', dir, '--voice', 'en-gb'],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`bench: the prompts could not be made: ${made.stderr.trim()}`);
    this.#promptsDir = dir;
    return dir;
  }

  async sandbox(): Promise<SandboxProcess> {
    if (this.#sandbox) return this.#sandbox;
    generateDevKeys({ dir: this.keysDir });
    this.#sandbox = await startSandboxProcess({
      keysDir: this.keysDir,
      port: BENCH_PORTS.sandbox,
      logFile: join(BENCH_RUN_DIR, 'sandbox.log'),
    });
    return this.#sandbox;
  }

  /**
   * A fresh gateway (its peak memory and log belong to one run) writing its log straight to a file:
   * not through a pipe to the bench (test/support/gateway-process.ts does that), whose reading
   * would pace the gateway's synchronous log writes. `nodeArgs` go to node (e.g. `--cpu-prof`).
   */
  async freshGateway(
    name: string,
    masking: MaskingMode,
    nodeArgs: readonly string[] = [],
  ): Promise<{ pid: number; logFile: string }> {
    await this.#stopGateway();
    const logFile = join(BENCH_RUN_DIR, 'logs', `gateway-${name}.log`);
    mkdirSync(dirname(logFile), { recursive: true });
    const fd = openSync(logFile, 'w');
    let child: ChildProcess;
    try {
      child = spawn(
        process.execPath,
        [...GATEWAY_NODE_FLAGS, ...nodeArgs, join(REPO_ROOT, 'dist', 'main.js')],
        {
          cwd: BENCH_RUN_DIR,
          env: {
            PATH: process.env.PATH ?? '',
            ...gatewayEnv({
              root: REPO_ROOT,
              keysDir: this.keysDir,
              apiKey: this.apiKey,
              masking,
              ...(this.#prompts ? { promptsDir: this.prompts() } : {}),
            }),
          },
          stdio: ['ignore', fd, fd],
        },
      );
    } finally {
      closeSync(fd);
    }
    this.#gateway = child;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}; see ${logFile}`);
      if (
        await fetch(`${this.gatewayUrl}/healthz`).then(
          () => true,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) throw new Error(`gateway did not answer in 10 s; see ${logFile}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (child.pid === undefined) throw new Error('gateway has no PID');
    return { pid: child.pid, logFile };
  }

  /** PIDs for the CPU figures: the three rtpengines (edge, mask, mute), Kamailio (main + workers). */
  stackPids(): StackPids {
    const pid = (file: string) => Number(readFileSync(join(BENCH_RUN_DIR, file), 'utf8').trim());
    const kamailio = pid('kamailio.pid');
    return {
      rtpengineEdge: pid('rtpengine.pid'),
      rtpengineMask: pid('rtpengine-mask.pid'),
      rtpengineMute: pid('rtpengine-mute.pid'),
      kamailio: [kamailio, ...childrenOf(kamailio)],
    };
  }

  async stopAll(): Promise<void> {
    await this.#stopGateway();
    const sandbox = this.#sandbox;
    this.#sandbox = undefined;
    await sandbox?.stop();
    await this.#stopStack();
  }

  /** SIGTERM by PID and wait (SIGKILL after 10 s). */
  async #stopGateway(): Promise<void> {
    const child = this.#gateway;
    this.#gateway = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  async #stopStack(): Promise<void> {
    const stack = this.#stack;
    this.#stack = undefined;
    await stack?.handle.stop();
  }
}

/**
 * The bench's own stack in .run/bench: Kamailio + rtpengine (scripts/lib/stack.sh through
 * test/support/stack.ts), the sandbox processor and the gateway as processes. Everything started is
 * stopped by its PID, in reverse order, by `stopAll()` — also on failure and on Ctrl-C.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GatewayProcess, startGatewayProcess } from '../../test/support/gateway-process.js';
import { type SandboxProcess, startSandboxProcess } from '../../test/support/sandbox-process.js';
import { REPO_ROOT, type StackHandle, startStack } from '../../test/support/stack.js';
import { generateDevKeys } from '../keys.js';
import { BENCH_PORTS, BENCH_RUN_NAME, gatewayEnv, type MaskingMode, stackEnv } from './bench-ports.js';
import { childrenOf } from './proc.js';

export const BENCH_RUN_DIR = join(REPO_ROOT, '.run', BENCH_RUN_NAME);

export class BenchServices {
  readonly apiKey: string;
  readonly keysDir = join(BENCH_RUN_DIR, 'keys');
  #stack: { handle: StackHandle; masking: MaskingMode } | undefined;
  #sandbox: SandboxProcess | undefined;
  #gateway: GatewayProcess | undefined;
  #gatewayRuns = 0;

  constructor(apiKey: string) {
    this.apiKey = apiKey;
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${BENCH_PORTS.http}`;
  }

  /** Kamailio and rtpengine with the masking mode asked for (restarted when it changes). */
  async stack(masking: MaskingMode): Promise<StackHandle> {
    if (this.#stack?.masking === masking) return this.#stack.handle;
    await this.#stopStack();
    const handle = await startStack({ runName: BENCH_RUN_NAME, env: stackEnv(masking), install: true });
    this.#stack = { handle, masking };
    return handle;
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

  /** A fresh gateway (its peak memory and log belong to one run); `extraArgs` go to node (profiling). */
  async freshGateway(): Promise<{ process: GatewayProcess; logFile: string }> {
    await this.#stopGateway();
    this.#gatewayRuns += 1;
    const logFile = join(BENCH_RUN_DIR, 'logs', `gateway-${this.#gatewayRuns}.log`);
    const process = await startGatewayProcess({
      env: gatewayEnv({ root: REPO_ROOT, keysDir: this.keysDir, apiKey: this.apiKey }),
      logFile,
      httpPort: BENCH_PORTS.http,
    });
    this.#gateway = process;
    return { process, logFile };
  }

  /** PIDs for the CPU figures: rtpengine, Kamailio (main + workers). */
  stackPids(): { rtpengine: number[]; kamailio: number[] } {
    const pid = (file: string) => Number(readFileSync(join(BENCH_RUN_DIR, file), 'utf8').trim());
    const kamailio = pid('kamailio.pid');
    return { rtpengine: [pid('rtpengine.pid')], kamailio: [kamailio, ...childrenOf(kamailio)] };
  }

  async stopAll(): Promise<void> {
    await this.#stopGateway();
    const sandbox = this.#sandbox;
    this.#sandbox = undefined;
    await sandbox?.stop();
    await this.#stopStack();
  }

  async #stopGateway(): Promise<void> {
    const gateway = this.#gateway;
    this.#gateway = undefined;
    await gateway?.stop();
  }

  async #stopStack(): Promise<void> {
    const stack = this.#stack;
    this.#stack = undefined;
    await stack?.handle.stop();
  }
}

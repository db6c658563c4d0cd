import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { RedisBridge } from '../../src/adapters/store/redis-bridge.js';
import { systemClock, systemTimers } from '../../src/application/clock.js';
import { assertLoopback } from './media/loopback.js';

/** A real redis-server (Debian `redis-server`) of the test's own, on a free loopback port, no persistence. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** redis-cli with this server's address and `args`; its standard output. */
  cli(...args: string[]): string;
  /** Stops the server (by its PID) and removes its folder. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Starts redis-server as `--save '' --appendonly no --bind 127.0.0.1 --port N --daemonize no` and
 * waits until it answers PING. No redis-server installed, or one that never answers, throws: the
 * test fails (./scripts/tonewall test installs it, scripts/lib/stack-install.sh).
 */
export async function startTestRedis(): Promise<TestRedis> {
  assertLoopback(HOST);
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    throw new Error(
      'redis-server is not installed (apt-get install redis-server; the test command installs it)',
    );
  }
  const port = await freeTcpPort();
  const dir = mkdtempSync(join(tmpdir(), 'tonewall-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--save',
      '',
      '--appendonly',
      'no',
      '--bind',
      HOST,
      '--port',
      String(port),
      '--daemonize',
      'no',
      '--dir',
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const cli = (...args: string[]) => {
    const result = spawnSync('redis-cli', ['-h', HOST, '-p', String(port), ...args], { encoding: 'utf8' });
    if (result.error) throw result.error;
    return result.stdout;
  };
  const stop = () => stopChild(child, dir);
  for (let waited = 0; cli('PING').trim() !== 'PONG'; waited += 50) {
    if (child.exitCode !== null || waited > 10_000) {
      await stop();
      throw new Error(`redis-server did not start on ${HOST}:${port}: ${output.slice(-500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `redis://${HOST}:${port}`, port, cli, stop };
}

async function stopChild(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.pid !== undefined) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid, 'SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A redis-server for one test file (started before its tests, stopped after) and bridges to it
 * (RedisBridge, closed after): `server()` and `bridge()` are for use inside the tests.
 */
export function useTestRedis(): { server(): TestRedis; bridge(): Promise<RedisBridge> } {
  let redis: TestRedis | undefined;
  const bridges: RedisBridge[] = [];
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    for (const bridge of bridges.splice(0)) await bridge.close();
    await redis?.stop();
  });
  const server = () => {
    if (!redis) throw new Error('the test Redis is not started (use it inside a test)');
    return redis;
  };
  return {
    server,
    async bridge() {
      const opened = await RedisBridge.open({
        url: server().url,
        timeoutMs: 2_000,
        clock: systemClock,
        timers: systemTimers,
      });
      bridges.push(opened);
      return opened;
    },
  };
}

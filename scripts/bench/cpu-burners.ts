/**
 * CPU burners for `bench --burners N`: N busy-loop processes beside the load, so that a level runs with
 * the media host's CPUs contended as a shared or undersized host has them (issue 20, item 5: with one
 * burner, keys went wrong at 50 calls, where none did without it; docs/benchmarks/experiments). Each
 * burner is a shell loop at normal priority; the bench counts their CPU under *others* and stops them
 * by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface CpuBurners {
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

/** Starts `count` busy loops (none for 0); `stop()` ends them by PID and waits for their exit. */
export function startCpuBurners(count: number): CpuBurners {
  const children: ChildProcess[] = [];
  for (let index = 0; index < count; index += 1)
    children.push(spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
  return {
    pids: children.flatMap((child) => (child.pid === undefined ? [] : [child.pid])),
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}

/**
 * One bench at a time on this machine: two would share the stack's fixed ports (the second one's
 * SIPp cannot bind and its loads fail at once) and each would load the machine the other measures.
 * A lock file in the bench's run directory holds the PID of the bench that runs; the stack's ports
 * must be free as well (a bench from another checkout, or a stack left running).
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { udpPortBound } from '../../test/support/ports.js';
import { BENCH_PORTS } from './bench-ports.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock or throws saying who holds it; the returned function releases it (idempotent).
 * A lock whose process has gone is taken over.
 */
export function takeBenchLock(runDir: string): () => void {
  mkdirSync(runDir, { recursive: true });
  const file = join(runDir, 'bench.lock');
  for (let attempt = 0; ; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder))
        throw new Error(`another bench (pid ${holder}) is running; ${file}`);
      unlinkSync(file);
    }
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  };
  const p = BENCH_PORTS;
  const ports: Array<[string, number]> = [
    [p.sip.address, p.sip.port],
    [p.agent.address, p.agent.sipPort],
    [p.customer.address, p.customer.sipPort],
  ];
  const busy = ports.filter(([address, port]) => udpPortBound(address, port));
  if (busy.length > 0) {
    release();
    const list = busy.map(([address, port]) => `${address}:${port}`).join(', ');
    throw new Error(`the bench's ports are in use (${list}): another bench, or a stack left running`);
  }
  return release;
}

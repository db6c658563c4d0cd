/** The machine a bench ran on: CPU model and count, memory, kernel, versions of the stack. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import type { SocketBuffers } from './socket-buffers.js';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpus: number;
  readonly memoryGib: number;
  readonly kernel: string;
  readonly kamailio: string;
  readonly rtpengine: string;
  readonly sipp: string;
  readonly node: string;
  /** net.core's socket buffer limits during the bench (socket-buffers.ts). */
  readonly socketBuffers?: SocketBuffers;
}

/** The first match of `pattern` in what `command` prints (stdout and stderr: rtpengine says it on stderr). */
function firstLine(command: string, args: readonly string[], pattern: RegExp): string {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  return pattern.exec(`${run.stdout ?? ''}${run.stderr ?? ''}`)?.[1]?.trim() ?? 'unknown';
}

export function machineInfo(): MachineInfo {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    memoryGib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    kamailio: firstLine('kamailio', ['-v'], /version:\s*kamailio\s+(\S+)/i),
    rtpengine: firstLine('rtpengine', ['--version'], /Version:\s*(\S+)/i),
    sipp: firstLine('sipp', ['-v'], /SIPp\s+(v[^\s-]+)/),
    node: process.version,
  };
}

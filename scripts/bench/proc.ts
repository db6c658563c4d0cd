/**
 * What /proc says about a process: CPU time (utime + stime, all threads) and the peak resident set
 * (VmHWM). Linux only; a process that has gone reads as undefined.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
export const CLOCK_TICKS_PER_S = 100;

interface StatFields {
  readonly ppid: number;
  /** utime + stime, in clock ticks. */
  readonly cpuTicks: number;
}

function readStat(pid: number, file = `/proc/${pid}/stat`): StatFields | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // the command name (field 2) may hold spaces: split after its closing parenthesis
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15
  return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

/** The direct children of `pid` (Kamailio's worker processes). */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    if (readStat(Number(name))?.ppid === pid) children.push(Number(name));
  }
  return children;
}

/** CPU seconds used so far by these processes (summed; the gone ones count 0). */
export function cpuSeconds(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (readStat(pid)?.cpuTicks ?? 0), 0) / CLOCK_TICKS_PER_S;
}

/**
 * CPU ticks used so far by each thread of `pid`, by thread name (/proc/<pid>/task/<tid>/comm and stat;
 * threads of one name summed: rtpengine names its worker threads alike). A gone process: empty.
 */
export function threadCpuTicks(pid: number): Map<string, number> {
  const ticks = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return ticks;
  }
  for (const tid of tids) {
    let name: string;
    try {
      name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    const stat = readStat(pid, `/proc/${pid}/task/${tid}/stat`);
    if (stat) ticks.set(name, (ticks.get(name) ?? 0) + stat.cpuTicks);
  }
  return ticks;
}

/** Peak resident set size in MiB (VmHWM of /proc/<pid>/status). */
export function peakRssMib(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** A group of processes whose CPU is measured over a window, as % of one core. */
export interface CpuGroup {
  readonly name: string;
  /** The PIDs to sum, read when the window opens (Kamailio: the main process and its children). */
  readonly pids: () => readonly number[];
  /** Also each thread's share, by thread name (a group of one process: an rtpengine). */
  readonly threads?: boolean;
}

/**
 * Opens a CPU window over `groups`; `close()` gives each group's share of one core over it, and
 * `machine`: every process on the machine (/proc/stat), ours and the rest, in the same unit.
 */
export function openCpuWindow(groups: readonly CpuGroup[]): {
  close(): { seconds: number; cpu: Record<string, number>; threads: Record<string, Record<string, number>> };
} {
  const started = performance.now();
  const machineAtStart = machineCpuSeconds();
  const opened = groups.map((group) => {
    const pids = group.pids();
    const threads = group.threads && pids[0] !== undefined ? threadCpuTicks(pids[0]) : undefined;
    return { name: group.name, pids, cpu: cpuSeconds(pids), threads };
  });
  return {
    close() {
      const seconds = (performance.now() - started) / 1000;
      const cpu = Object.fromEntries(
        opened.map((group) => [group.name, ((cpuSeconds(group.pids) - group.cpu) / seconds) * 100]),
      );
      cpu.machine = ((machineCpuSeconds() - machineAtStart) / seconds) * 100;
      const threads: Record<string, Record<string, number>> = {};
      for (const group of opened) {
        const pid = group.pids[0];
        const before = group.threads;
        if (!before || pid === undefined) continue;
        threads[group.name] = Object.fromEntries(
          [...threadCpuTicks(pid)].map(([name, ticks]) => [
            name,
            ((ticks - (before.get(name) ?? 0)) / CLOCK_TICKS_PER_S / seconds) * 100,
          ]),
        );
      }
      return { seconds, cpu, threads };
    },
  };
}

/** Datagrams the kernel dropped for UDP sockets bound to `port` (receive buffer full), /proc/net/udp. */
export function udpDrops(port: number): number {
  return udpDropsByPort([port]).get(port) ?? 0;
}

/** `udpDrops` for many ports at one read of /proc/net/udp{,6}: port → datagrams dropped. */
export function udpDropsByPort(ports: readonly number[]): Map<number, number> {
  const wanted = new Set(ports);
  const drops = new Map<number, number>(ports.map((port) => [port, 0]));
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const port = Number.parseInt(fields[1]?.split(':').at(-1) ?? '', 16);
      if (wanted.has(port)) drops.set(port, (drops.get(port) ?? 0) + Number(fields.at(-1) ?? 0));
    }
  }
  return drops;
}

/** CPU seconds of the whole machine so far (every process, /proc/stat: all but idle and iowait), and the cores. */
export function machineCpuSeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  // (steal is time the hypervisor gave to other machines: not this machine's load)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq) / CLOCK_TICKS_PER_S;
}

/**
 * What a load measures of the processes it runs on: the CPU groups (each rtpengine hop with its
 * threads, Kamailio, the gateway, SIPp, the bench itself) and the peak resident set of each long-lived
 * process. Two windows use the groups: the one while all N calls are up (the capacity figure) and the
 * whole run, from the first SIPp's start to the last one's end (every call's keys inside it).
 */
import type { LoadOptions } from './load-types.js';
import { type CpuGroup, peakRssMib } from './proc.js';

export function benchCpuGroups(
  options: Pick<LoadOptions, 'stackPids' | 'gatewayPid'>,
  sipps: () => readonly number[],
  bench: () => readonly number[],
): CpuGroup[] {
  const { stackPids } = options;
  return [
    { name: 'rtpengine edge', pids: () => [stackPids.rtpengineEdge], threads: true },
    { name: 'rtpengine mask', pids: () => [stackPids.rtpengineMask], threads: true },
    { name: 'rtpengine mute', pids: () => [stackPids.rtpengineMute], threads: true },
    { name: 'kamailio', pids: () => stackPids.kamailio },
    { name: 'gateway', pids: () => [options.gatewayPid] },
    { name: 'sipp', pids: () => sipps() },
    // the bench with its agents' media thread, the delay probe's tcpdump and the desks' Chromium
    { name: 'bench', pids: () => bench() },
  ];
}

/** Peak resident set (VmHWM, MiB) of the rtpengines, Kamailio's main process and the gateway. */
export function peakMemoryMib(
  options: Pick<LoadOptions, 'stackPids' | 'gatewayPid'>,
): Record<string, number> {
  const { stackPids } = options;
  const pids: Record<string, number | undefined> = {
    'rtpengine edge': stackPids.rtpengineEdge,
    'rtpengine mask': stackPids.rtpengineMask,
    'rtpengine mute': stackPids.rtpengineMute,
    kamailio: stackPids.kamailio[0],
    gateway: options.gatewayPid,
  };
  const peaks: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const mib = pid === undefined ? undefined : peakRssMib(pid);
    if (mib !== undefined) peaks[name] = Math.round(mib * 10) / 10;
  }
  return peaks;
}

/** `record` with every figure to two decimals (what the results file keeps). */
export function rounded(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(record).map(([name, value]) => [name, Math.round(value * 100) / 100]),
  );
}

/** `rounded` for each group of thread figures. */
export function roundedThreads(
  threads: Record<string, Record<string, number>>,
): Record<string, Record<string, number>> {
  return Object.fromEntries(Object.entries(threads).map(([group, figures]) => [group, rounded(figures)]));
}

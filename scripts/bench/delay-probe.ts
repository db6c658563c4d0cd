/**
 * The added one-way delay customer → agent, measured on the wire as test/support/audio-delay.ts does:
 * tcpdump on `lo` captures some of the load's own calls (every customer's stream ends with three
 * bursts of 1 kHz: customer-mix.ts), and the delay of each burst is its onset in the agent's packets
 * minus its onset in the customer's packets to the edge rtpengine, both read from one capture (one
 * clock); bursts before the keys and after them are told apart. The capture holds only the probed calls' two directions (a BPF filter on the edge's port
 * for each call, which rtpengine's `query` names, and the agent endpoint's port), so it costs little
 * while the load runs. Each call's datagrams are split out and read by `delayFromCapture` itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import type { NgClient, NgReply } from '../../src/adapters/rtpengine/ng-client.js';
import type { NgValue } from '../../src/adapters/rtpengine/ng-codec.js';
import { delayFromCapture } from '../../test/support/audio-delay.js';
import { type PcapUdpDatagram, readPcap } from '../../test/support/media/pcap-reader.js';
import { PcapWriter } from '../../test/support/media/pcap-writer.js';
import { PAYLOAD_TYPE_PCMU, parseRtpPacket } from '../../test/support/media/rtp.js';
import type { ProbeWindow } from './customer-mix.js';

/** A call whose delay is measured: where its customer's media enters the edge and where its agent's arrives. */
export interface ProbedCall {
  readonly sipCallId: string;
  /** The edge rtpengine's port that receives the customer's RTP (from `query`). */
  readonly edgePort: number;
  /** The agent endpoint's port. */
  readonly agentPort: number;
  /** The customer's probe windows (other loud audio, in-band keys, is not a probe burst). */
  readonly probes: { readonly early: ProbeWindow; readonly late: ProbeWindow };
}

export interface CallDelay {
  readonly sipCallId: string;
  /** Per burst found at both ends, agent onset − customer onset, ms: before the keys and after them. */
  readonly earlyMs: readonly number[];
  readonly lateMs: readonly number[];
  /** Customer packets of the call in the capture (0: the capture missed it). */
  readonly customerPackets: number;
  readonly agentPackets: number;
}

const isDict = (value: NgValue | undefined): value is { [key: string]: NgValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The local port of a party's first RTP stream in an NG `query` reply (rtpengine 10.5:
 * `tags.<tag>.medias[].streams[]."local port"`): where rtpengine receives that party's media.
 */
export function localPortOf(reply: NgReply, tag: string): number | undefined {
  const tags = reply.tags;
  const party = isDict(tags) ? tags[tag] : undefined;
  const medias = isDict(party) ? party.medias : undefined;
  if (!Array.isArray(medias)) return undefined;
  for (const media of medias) {
    const streams = isDict(media) ? media.streams : undefined;
    if (!Array.isArray(streams)) continue;
    for (const stream of streams) {
      const port = isDict(stream) ? stream['local port'] : undefined;
      if (typeof port === 'number' && port > 0) return port;
    }
  }
  return undefined;
}

/** The BPF filter for the probed calls: customer → edge and (last hop) → agent. */
export function probeFilter(calls: readonly ProbedCall[], agentAddress: string): string {
  const edge = calls.map((call) => `dst port ${call.edgePort}`).join(' or ');
  const agent = calls.map((call) => `dst port ${call.agentPort}`).join(' or ');
  return `udp and ((not dst host ${agentAddress} and (${edge})) or (dst host ${agentAddress} and (${agent})))`;
}

/** tcpdump on `lo` with `filter` into `file`; resolves once it listens. `stop()` ends it (SIGINT, by PID). */
export async function startCapture(
  file: string,
  filter: string,
): Promise<{ pid: number; stop(): Promise<void> }> {
  const child: ChildProcess = spawn('tcpdump', ['-i', 'lo', '-U', '-n', '-s', '0', '-w', file, filter], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const started = Date.now();
  while (!stderr.includes('listening on')) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`tcpdump exited: ${stderr.trim()}`);
    if (Date.now() - started > 5000) {
      child.kill('SIGKILL');
      throw new Error(`tcpdump did not start: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const pid = child.pid ?? -1;
  return {
    pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** Splits a capture into the probed calls and measures each with `delayFromCapture`. */
export function callDelays(
  capture: Buffer,
  calls: readonly ProbedCall[],
  options: { rtpRange: readonly [number, number]; agentAddress: string },
): CallDelay[] {
  const udp = readPcap(capture).udp;
  return calls.map((call) => {
    const toEdge = udp.flatMap((datagram) => {
      if (datagram.dstPort !== call.edgePort || datagram.dstAddress === options.agentAddress) return [];
      try {
        const rtp = parseRtpPacket(datagram.payload);
        return rtp.payloadType === PAYLOAD_TYPE_PCMU ? [{ datagram, rtp }] : [];
      } catch {
        return [];
      }
    });
    const agent = udp.filter(
      (datagram) => datagram.dstAddress === options.agentAddress && datagram.dstPort === call.agentPort,
    );
    const measure = (window: ProbeWindow): number[] => {
      const customer = toEdge
        .filter(
          ({ rtp }) =>
            rtp.ssrc === window.ssrc &&
            rtp.timestamp >= window.fromTimestamp &&
            rtp.timestamp < window.toTimestamp,
        )
        .map(({ datagram }) => datagram);
      if (customer.length === 0 || agent.length === 0) return [];
      const writer = new PcapWriter();
      // one capture clock: both directions in time order, as tcpdump wrote them
      for (const datagram of [...customer, ...agent].sort((a, b) => a.timeUs - b.timeUs))
        add(writer, datagram);
      return delayFromCapture(writer.toBuffer(), {
        rtpengineRange: options.rtpRange,
        agentAddress: options.agentAddress,
      }).delaysMs.map((ms) => Math.round(ms * 10) / 10);
    };
    return {
      sipCallId: call.sipCallId,
      earlyMs: measure(call.probes.early),
      lateMs: measure(call.probes.late),
      customerPackets: toEdge.length,
      agentPackets: agent.length,
    };
  });
}

function add(writer: PcapWriter, datagram: PcapUdpDatagram): void {
  writer.addUdp(datagram.timeUs, {
    src: { address: datagram.srcAddress, port: datagram.srcPort },
    dst: { address: datagram.dstAddress, port: datagram.dstPort },
    payload: datagram.payload,
  });
}

/** Reads and deletes a capture file. */
export function takeCapture(file: string): Buffer {
  try {
    return readFileSync(file);
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Calls to probe for the delay: `count` call numbers, first one of each layout of a mix of `mixSize`
 * (spread over the ramp: layout j's m-th call, m = j mod the rounds the load has), then more spread
 * evenly over 1…calls. Sorted.
 */
export function probeCallNumbers(calls: number, count: number, mixSize: number): number[] {
  const k = Math.min(count, calls);
  const rounds = Math.max(1, Math.floor(calls / mixSize));
  const chosen = new Set<number>();
  for (let j = 0; j < Math.min(mixSize, calls) && chosen.size < k; j += 1) {
    const n = j + 1 + mixSize * (j % rounds);
    chosen.add(n <= calls ? n : j + 1);
  }
  for (let i = 0; chosen.size < k && i < calls; i += 1) {
    const n = 1 + Math.floor((i * calls) / k);
    if (!chosen.has(n)) chosen.add(n);
  }
  for (let n = 1; chosen.size < k && n <= calls; n += 1) chosen.add(n);
  return [...chosen].sort((a, b) => a - b);
}

/**
 * The probed calls among those the gateway listed: for each call number, where the edge receives its
 * customer's media (`query`), its agent's endpoint, and its layout's probe windows. A call the edge
 * cannot tell is left out (a failed query is a problem of the run).
 */
export async function findProbedCalls(options: {
  numbers: readonly number[];
  listed: ReadonlyMap<number, { sipCallId: string; agent: string }>;
  agentPortOf: (agent: string) => number | undefined;
  probesOf: (n: number) => ProbedCall['probes'] | undefined;
  edge: NgClient;
  tagOf: (n: number) => string;
  problems: string[];
}): Promise<ProbedCall[]> {
  const probed: ProbedCall[] = [];
  for (const n of options.numbers) {
    const call = options.listed.get(n);
    const agentPort = call ? options.agentPortOf(call.agent) : undefined;
    const probes = options.probesOf(n);
    if (!call || agentPort === undefined || !probes) continue;
    const reply = await options.edge
      .request({ command: 'query', 'call-id': call.sipCallId })
      .catch((error: Error) => {
        options.problems.push(`query ${call.sipCallId}: ${error.message}`);
        return undefined;
      });
    const edgePort = reply ? localPortOf(reply, options.tagOf(n)) : undefined;
    if (edgePort === undefined) continue;
    probed.push({ sipCallId: call.sipCallId, edgePort, agentPort, probes });
  }
  return probed;
}

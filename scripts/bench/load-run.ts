/**
 * One load: N customer calls from one SIPp process through Kamailio and rtpengine to one SIPp
 * agent process, a payment started by the API on every call, the customer keying a card as RFC 4733
 * events. Measures what the bench reports (see bench.ts) and stops by itself: SIPp's call count and
 * timeout bound it.
 */

import { setMaxListeners } from 'node:events';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NgClient } from '../../src/adapters/rtpengine/ng-client.js';
import { GatewayApi, type PaymentView } from '../../test/support/gateway-api.js';
import { type SippProcess, startSipp } from '../../test/support/sipp.js';
import type { AgentLeakReport } from './agent-endpoint.js';
import { AgentMediaThread } from './agent-media-thread.js';
import { BENCH_PORTS, type MaskingMode } from './bench-ports.js';
import { dtmfArrivals } from './gateway-log.js';
import { callLatencies } from './latency.js';
import { agentAudio, cardKeys, customerPcap } from './pcaps.js';
import { type CpuGroup, openCpuWindow, peakRssMib, udpDrops } from './proc.js';
import { followPayment, type ReceivedFrame, sseAgent } from './sse-follower.js';

export interface LoadOptions {
  calls: number;
  masking: MaskingMode;
  /** Calls per second SIPp places. */
  rate: number;
  /** How many calls' agent media go to the bench's endpoints for the leak check. */
  sample: number;
  workDir: string;
  apiKey: string;
  gatewayUrl: string;
  gatewayPid: number;
  gatewayLog: string;
  stackPids: { rtpengine: number[]; kamailio: number[] };
  /** masking off: the NG client that unblocks each call. */
  ng?: NgClient;
  log: (line: string) => void;
}

export interface LoadResult {
  readonly calls: number;
  readonly masking: MaskingMode;
  /** Calls the gateway listed as answered. */
  readonly setUp: number;
  readonly paymentsStarted: number;
  readonly succeeded: number;
  readonly sampled: number;
  /** Sampled calls whose agent received a digit event or DTMF tone. */
  readonly leakyCalls: number;
  readonly leakDigitEvents: number;
  readonly leakToneMs: number;
  /** Sampled calls whose agent received almost nothing (the check would prove nothing). */
  readonly quietSamples: number;
  readonly keyToScreenMs: number[];
  readonly lastKeyToOutcomeMs: number[];
  /** Calls whose frames could not be paired one per key. */
  readonly inexactCalls: number;
  /** % of one core over the window in which all calls were up. */
  readonly cpu: Record<string, number>;
  readonly cpuWindowS: number;
  readonly gatewayPeakMib: number | undefined;
  /** The gateway's peak before the load (start-up), for comparison. */
  readonly gatewayStartPeakMib?: number | undefined;
  /** DTMF reports the kernel dropped before the gateway read them (its socket's receive buffer). */
  readonly dtmfDrops: number;
  /** DTMF reports the gateway accepted per call (a full card is 24 keys). */
  readonly keysPerCall: Record<number, number>;
  /** Keys each customer keys. */
  readonly keysKeyed: number;
  readonly problems: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { calls } = options;
  const problems: string[] = [];
  mkdirSync(options.workDir, { recursive: true });
  const rampMs = Math.ceil((calls / options.rate) * 1000);
  // every call keys while all of them are up: the lead-in covers the ramp. Whole 20 ms frames: events
  // that start mid-frame make rtpengine 10.5 let ~20 ms of each tone through to the agent (see
  // docs/benchmarks.md), which would measure the pcap, not the load.
  const leadInMs = Math.ceil((3000 + rampMs) / 20) * 20;
  const keys = cardKeys();
  const pcap = customerPcap(keys, leadInMs);
  const holdMs = pcap.durationMs + 4000;
  writeFileSync(join(options.workDir, 'bench-customer.pcap'), pcap.bytes);
  writeFileSync(join(options.workDir, 'bench-agent.ulaw'), agentAudio());

  const agentAddress = BENCH_PORTS.agent.address;
  const sampleCount = Math.min(options.sample, calls);
  // the sampled agents' RTP endpoints run on a thread of their own: this one stamps SSE frames
  const agentMedia = await AgentMediaThread.start({ address: agentAddress, count: sampleCount });
  const step = sampleCount > 0 ? calls / sampleCount : Number.POSITIVE_INFINITY;
  const lines = ['SEQUENTIAL'];
  let nextSample = 0;
  for (let i = 0; i < calls; i += 1) {
    const port = agentMedia.ports[nextSample];
    if (port !== undefined && i >= Math.floor(nextSample * step)) {
      lines.push(`bench-sink-${nextSample + 1};${agentAddress};${port};0`);
      nextSample += 1;
    } else {
      lines.push(`bench-agent-${i + 1};${agentAddress};${BENCH_PORTS.agent.mediaPort};1`);
    }
  }
  const injection = join(options.workDir, 'agents.csv');
  writeFileSync(injection, `${lines.join('\n')}\n`);

  const api = new GatewayApi(options.gatewayUrl, options.apiKey);
  const logStart = statSync(options.gatewayLog).size;
  const dropsBefore = udpDrops(BENCH_PORTS.dtmf.port);
  const timeoutS = Math.ceil((rampMs + holdMs) / 1000) + 30;
  const sipps: SippProcess[] = [];
  const aborter = new AbortController();
  // one listener per followed payment: N of them is expected, not a leak
  setMaxListeners(0, aborter.signal);
  const streams = sseAgent();
  const follows: Array<Promise<{ sipCallId: string; frames: ReceivedFrame[] }>> = [];
  const payments = new Map<string, PaymentView>();
  let cpuWindow: ReturnType<typeof openCpuWindow> | undefined;
  let cpu: Record<string, number> = {};
  let cpuWindowS = 0;
  const seen = new Set<string>();
  try {
    const agent = await startSipp({
      scenario: 'bench-agent.xml',
      name: 'agents',
      cwd: options.workDir,
      logDir: options.workDir,
      sip: { address: agentAddress, port: BENCH_PORTS.agent.sipPort },
      media: { address: agentAddress, port: BENCH_PORTS.agent.mediaPort },
      calls,
      timeoutS,
      extraArgs: ['-inf', injection, '-l', String(calls)],
    });
    sipps.push(agent);
    const customer = await startSipp({
      scenario: 'bench-customer.xml',
      name: 'customers',
      cwd: options.workDir,
      logDir: options.workDir,
      remote: `${BENCH_PORTS.sip.address}:${BENCH_PORTS.sip.port}`,
      sip: { address: BENCH_PORTS.customer.address, port: BENCH_PORTS.customer.sipPort },
      media: { address: BENCH_PORTS.customer.address, port: BENCH_PORTS.customer.mediaPort },
      calls,
      timeoutS,
      vars: { hold_ms: String(holdMs) },
      extraArgs: ['-s', '4000', '-l', String(calls), '-r', String(options.rate)],
    });
    sipps.push(customer);
    const started = performance.now();
    const ourCall = new RegExp(`^(\\d+)-${customer.pid}@`);
    const groups: CpuGroup[] = [
      { name: 'rtpengine', pids: () => options.stackPids.rtpengine },
      { name: 'kamailio', pids: () => options.stackPids.kamailio },
      { name: 'gateway', pids: () => [options.gatewayPid] },
      { name: 'sipp', pids: () => sipps.map((sipp) => sipp.pid) },
      { name: 'bench', pids: () => [process.pid] },
    ];

    // Watch the calls arrive; start a payment on each and follow its events.
    let firstAnswerAt: number | undefined;
    const pollDeadline = started + rampMs + holdMs;
    while (performance.now() < pollDeadline && customer.running) {
      const listed = await api.calls().catch(() => []);
      for (const call of listed) {
        const match = ourCall.exec(call.sipCallId);
        if (!match || seen.has(call.sipCallId)) continue;
        seen.add(call.sipCallId);
        firstAnswerAt ??= performance.now();
        if (options.masking === 'off' && options.ng) {
          const fromTag = `${customer.pid}c${match[1]}`;
          options.ng
            .request({
              command: 'unblock DTMF',
              'call-id': call.sipCallId,
              'from-tag': fromTag,
              'delay-buffer': 0,
            })
            .catch((error: Error) => problems.push(`unblock ${call.sipCallId}: ${error.message}`));
        }
        follows.push(
          (async () => {
            const payment = await api.startPayment(call.id, { securityCode: true });
            payments.set(call.sipCallId, payment);
            const frames = await followPayment({
              baseUrl: options.gatewayUrl,
              apiKey: options.apiKey,
              paymentId: payment.id,
              agent: streams,
              signal: aborter.signal,
            });
            return { sipCallId: call.sipCallId, frames };
          })().catch((error: Error) => {
            problems.push(`payment on ${call.sipCallId}: ${error.message}`);
            return { sipCallId: call.sipCallId, frames: [] };
          }),
        );
      }
      if (!cpuWindow && seen.size >= calls) {
        cpuWindow = openCpuWindow(groups);
        options.log(`  all ${calls} calls up after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      // close the window a second before the first call hangs up; once every call is up, stop
      // polling (ten listings of N calls a second would be the bench's load, not a contact centre's)
      if (cpuWindow && firstAnswerAt !== undefined) {
        const windowEnd = firstAnswerAt + holdMs - 1000;
        await sleep(Math.max(0, Math.min(windowEnd, pollDeadline) - performance.now()));
        break;
      }
      await sleep(100);
    }
    if (cpuWindow) {
      ({ cpu, seconds: cpuWindowS } = cpuWindow.close());
    } else {
      problems.push(`only ${seen.size} of ${calls} calls were up at once`);
    }

    for (const sipp of sipps) {
      await sipp.succeeded(timeoutS * 1000).catch((error: Error) => {
        problems.push(`${sipp.name}: ${error.message.split('\n')[0]}`);
      });
    }
    // the payments' last frames: give the processor time to answer, then stop following
    const settle = setTimeout(() => aborter.abort(), 10_000);
    const followed = await Promise.all(follows);
    clearTimeout(settle);
    const leaks: AgentLeakReport[] = await agentMedia.finish();

    const gatewayPeakMib = peakRssMib(options.gatewayPid);
    const dtmfDrops = udpDrops(BENCH_PORTS.dtmf.port) - dropsBefore;
    const arrivals = dtmfArrivals(options.gatewayLog, logStart);
    const keyToScreenMs: number[] = [];
    const lastKeyToOutcomeMs: number[] = [];
    let succeeded = 0;
    let inexactCalls = 0;
    const keysPerCall: Record<number, number> = {};
    for (const { sipCallId, frames } of followed) {
      const count = arrivals.get(sipCallId)?.length ?? 0;
      keysPerCall[count] = (keysPerCall[count] ?? 0) + 1;
      const last = frames.at(-1)?.view;
      if (last?.status === 'succeeded') succeeded += 1;
      else if (problems.length < 20)
        problems.push(`${sipCallId}: ${last ? `${last.status} ${last.errorType ?? ''}` : 'no frames'}`);
      const latencies = callLatencies(
        arrivals.get(sipCallId) ?? [],
        frames.map((frame) => ({
          receivedAt: frame.receivedAt,
          sequence: frame.sequence,
          status: frame.view.status,
        })),
      );
      if (!latencies.exact) inexactCalls += 1;
      keyToScreenMs.push(...latencies.keyToScreenMs);
      // a failed payment's outcome comes when the call hangs up: not a latency
      if (latencies.lastKeyToOutcomeMs !== undefined && last?.status === 'succeeded')
        lastKeyToOutcomeMs.push(latencies.lastKeyToOutcomeMs);
    }

    // the raw figures of this load, for a closer look (times and counts only: no key)
    writeFileSync(
      join(options.workDir, 'figures.json'),
      JSON.stringify(
        { leaks, keysPerCall, dtmfDrops, keyToScreenMs, lastKeyToOutcomeMs, cpu, problems },
        null,
        1,
      ),
    );
    // the agent should receive ≥ 90 % of the customer's packets (PCMU + events) for the check to count
    const minPackets = Math.floor((pcap.durationMs / 20) * 0.9);
    return {
      calls,
      masking: options.masking,
      setUp: seen.size,
      paymentsStarted: payments.size,
      succeeded,
      sampled: leaks.length,
      leakyCalls: leaks.filter((leak) => leak.digitEvents > 0 || leak.toneMs > 0).length,
      leakDigitEvents: leaks.reduce((sum, leak) => sum + leak.digitEvents, 0),
      leakToneMs: leaks.reduce((sum, leak) => sum + leak.toneMs, 0),
      quietSamples: leaks.filter((leak) => leak.packets < minPackets).length,
      keyToScreenMs,
      lastKeyToOutcomeMs,
      inexactCalls,
      cpu,
      cpuWindowS,
      gatewayPeakMib,
      dtmfDrops,
      keysPerCall,
      keysKeyed: keys.length,
      problems,
    };
  } finally {
    aborter.abort();
    await Promise.all(sipps.map((sipp) => sipp.kill()));
    streams.destroy();
    await agentMedia.terminate();
  }
}

/**
 * One load: N customer calls from one SIPp process through Kamailio and both rtpengines to one SIPp
 * agent process, a payment started by the API on every call, each customer keying a card in a layout
 * of the masking matrix (customer-mix.ts). Every call's agent media reaches an RTP endpoint of the
 * bench, which records and analyses every packet the agent received (digit events, DTMF tone). Some
 * calls are captured on `lo` for the added delay (delay-probe.ts). Measures what the bench reports
 * (see bench.ts) and stops by itself: SIPp's call count and timeout bound it.
 */

import { setMaxListeners } from 'node:events';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { NgClient } from '../../src/adapters/rtpengine/ng-client.js';
import { type CallView, GatewayApi, type PaymentView } from '../../test/support/gateway-api.js';
import { MATRIX } from '../../test/support/masking-matrix.js';
import { type SippProcess, startSipp } from '../../test/support/sipp.js';
import type { AgentLeakReport } from './agent-endpoint.js';
import { AgentMediaThread } from './agent-media-thread.js';
import { BENCH_PORTS, type MaskingMode } from './bench-ports.js';
import type { StackPids } from './bench-services.js';
import {
  type CustomerStream,
  customerStream,
  keysAccepted,
  keysSectionMs,
  leadInFor,
  streamPcap,
} from './customer-mix.js';
import { customerInjection, customerScenario, layoutIndexOf, pcapName } from './customer-scenario.js';
import {
  callDelays,
  localPortOf,
  type ProbedCall,
  probeFilter,
  startCapture,
  takeCapture,
} from './delay-probe.js';
import { countLogLines, dtmfArrivals } from './gateway-log.js';
import { callLatencies } from './latency.js';
import { agentAudio, cardKeys } from './pcaps.js';
import { type CpuGroup, openCpuWindow, peakRssMib, udpDrops } from './proc.js';
import { followPayment, type ReceivedFrame, sseAgent } from './sse-follower.js';

export interface LoadOptions {
  calls: number;
  masking: MaskingMode;
  /** Calls per second SIPp places. */
  rate: number;
  /** How many calls' media tcpdump captures for the delay. */
  probes: number;
  workDir: string;
  apiKey: string;
  gatewayUrl: string;
  gatewayPid: number;
  gatewayLog: string;
  stackPids: StackPids;
  /** NG clients of the edge and the mask rtpengine: `query` (delay probe) and, unmasked, `unblock DTMF`. */
  ng: { edge: NgClient; mask: NgClient };
  log: (line: string) => void;
}

/** One call of a load, as the bench saw it (no key: counts, outcomes and times only). */
export interface CallRecord {
  /** SIPp's call number (from 1); its layout is the mix's `(n − 1) mod size`. */
  readonly n: number;
  readonly layout: string;
  /** Reports the gateway accepted for the call (a full card is 24 keys). */
  readonly keys: number;
  /** What it should accept for this layout (customer-mix.ts `keysAccepted`); a call that cannot pay when short. */
  readonly keysExpected: number;
  /** The payment's last status (`succeeded`, `failed …`, `none` when no payment started). */
  readonly outcome: string;
  /** What the agent's endpoint received, whole call; undefined when no endpoint was matched to the call. */
  readonly agent?: {
    readonly packets: number;
    readonly drops: number;
    readonly digitEvents: number;
    readonly toneMs: number;
  };
  /** The customer's PCMU packets, 20 ms equivalents (the agent should get at least half). */
  readonly expectedPackets: number;
  /** Added one-way delay per probe burst, ms (probed calls only): before the keys and after them. */
  readonly delayEarlyMs?: readonly number[];
  readonly delayLateMs?: readonly number[];
}

export interface LoadResult {
  readonly calls: number;
  readonly masking: MaskingMode;
  readonly startedAt: string;
  /** The machine's 1-minute load average as the run started (other helpers' tests share it). */
  readonly loadAverage: number;
  /** Calls the gateway listed as answered. */
  readonly setUp: number;
  /** Whether all N were up together (else no CPU window: an overloaded machine set them up too slowly). */
  readonly allUpAtOnce?: boolean;
  readonly paymentsStarted: number;
  readonly succeeded: number;
  readonly keysKeyed: number;
  readonly perCall: readonly CallRecord[];
  /** Agent endpoints whose call could not be told (no agent id in the gateway's list). */
  readonly unmatchedAgents: number;
  readonly keyToScreenMs: number[];
  readonly lastKeyToOutcomeMs: number[];
  /** Calls whose frames could not be paired one per key. */
  readonly inexactCalls: number;
  /** % of one core over the window in which all calls were up, per process group, and `machine` (everything). */
  readonly cpu: Record<string, number>;
  readonly cpuWindowS: number;
  readonly gatewayPeakMib: number | undefined;
  /** The gateway's peak before the load (start-up), for comparison. */
  readonly gatewayStartPeakMib?: number | undefined;
  /** DTMF reports the kernel dropped before the gateway read them (its sockets' receive buffers). */
  readonly dtmfDrops: number;
  /**
   * Payments whose capture delay (the mask hop's longer delay buffer while a payment captures) the
   * gateway could not set (its log line): masked, none; masking off, every payment (it goes nowhere).
   */
  readonly captureRaiseFailures?: number;
  readonly problems: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The mix every load draws its customers from: every layout of the masking matrix. */
export const CUSTOMER_MIX = MATRIX;

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

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { calls } = options;
  const problems: string[] = [];
  const startedAt = new Date().toISOString();
  const loadAverage = loadavg()[0] ?? 0;
  mkdirSync(options.workDir, { recursive: true });
  const rampMs = Math.ceil((calls / options.rate) * 1000);
  // every call keys while all of them are up: the lead-in covers the ramp
  const leadInMs = leadInFor(rampMs);
  const keys = cardKeys();
  const mix = CUSTOMER_MIX;
  const sectionMs = keysSectionMs(keys, mix);
  const streams: CustomerStream[] = mix.map((spec) => customerStream(keys, spec, leadInMs, sectionMs));
  streams.forEach((stream, index) => {
    writeFileSync(join(options.workDir, pcapName(index)), streamPcap(stream));
  });
  const scenario = join(options.workDir, 'bench-customer-mix.xml');
  writeFileSync(scenario, customerScenario(mix.length));
  const customerInf = join(options.workDir, 'customers.csv');
  writeFileSync(customerInf, customerInjection(calls, mix));
  const holdMs = Math.max(...streams.map((stream) => stream.durationMs)) + 1000;
  // SIPp's agent scenario still names its talk file, though no agent of this load uses it
  writeFileSync(join(options.workDir, 'bench-agent.ulaw'), agentAudio());

  const agentAddress = BENCH_PORTS.agent.address;
  // every call's agent media goes to an endpoint of the bench, on a thread of its own
  const agentMedia = await AgentMediaThread.start({ address: agentAddress, count: calls });
  const lines = [
    'SEQUENTIAL',
    ...agentMedia.ports.map((port, i) => `bench-agent-${i + 1};${agentAddress};${port};0`),
  ];
  const agentInf = join(options.workDir, 'agents.csv');
  writeFileSync(agentInf, `${lines.join('\n')}\n`);

  const api = new GatewayApi(options.gatewayUrl, options.apiKey);
  const logStart = statSync(options.gatewayLog).size;
  const dtmfDrops_ = () => udpDrops(BENCH_PORTS.dtmf.port) + udpDrops(BENCH_PORTS.maskDtmf);
  const dropsBefore = dtmfDrops_();
  const timeoutS = Math.ceil((rampMs + holdMs) / 1000) + 30;
  const sipps: SippProcess[] = [];
  const aborter = new AbortController();
  // one listener per followed payment: N of them is expected, not a leak
  setMaxListeners(0, aborter.signal);
  const sse = sseAgent();
  const follows: Array<Promise<{ sipCallId: string; frames: ReceivedFrame[] }>> = [];
  const payments = new Map<string, PaymentView>();
  /** call number → what the gateway listed. */
  const listed = new Map<number, { sipCallId: string; agent: string }>();
  let cpuWindow: ReturnType<typeof openCpuWindow> | undefined;
  let cpu: Record<string, number> = {};
  let cpuWindowS = 0;
  let allUpAtOnce = true;
  let capture: Awaited<ReturnType<typeof startCapture>> | undefined;
  const captureFile = join(options.workDir, 'probe.pcap');
  const probed: ProbedCall[] = [];
  const unblockHops = options.masking === 'off' ? [options.ng.edge, options.ng.mask] : [options.ng.edge];
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
      extraArgs: ['-inf', agentInf, '-l', String(calls)],
    });
    sipps.push(agent);
    const customer = await startSipp({
      scenario,
      name: 'customers',
      cwd: options.workDir,
      logDir: options.workDir,
      remote: `${BENCH_PORTS.sip.address}:${BENCH_PORTS.sip.port}`,
      sip: { address: BENCH_PORTS.customer.address, port: BENCH_PORTS.customer.sipPort },
      media: { address: BENCH_PORTS.customer.address, port: BENCH_PORTS.customer.mediaPort },
      calls,
      timeoutS,
      vars: { hold_ms: String(holdMs) },
      extraArgs: ['-s', '4000', '-inf', customerInf, '-l', String(calls), '-r', String(options.rate)],
    });
    sipps.push(customer);
    const started = performance.now();
    const ourCall = new RegExp(`^(\\d+)-${customer.pid}@`);
    const tagOf = (n: number) => `${customer.pid}c${n}`;
    const groups: CpuGroup[] = [
      { name: 'rtpengine edge', pids: () => [options.stackPids.rtpengineEdge] },
      { name: 'rtpengine mask', pids: () => [options.stackPids.rtpengineMask] },
      { name: 'kamailio', pids: () => options.stackPids.kamailio },
      { name: 'gateway', pids: () => [options.gatewayPid] },
      { name: 'sipp', pids: () => sipps.map((sipp) => sipp.pid) },
      // the bench with its agents' media thread, and the delay probe's tcpdump
      { name: 'bench', pids: () => [process.pid, ...(capture ? [capture.pid] : [])] },
    ];

    // Watch the calls arrive; start a payment on each and follow its events.
    let firstAnswerAt: number | undefined;
    const pollDeadline = started + rampMs + holdMs;
    while (performance.now() < pollDeadline && customer.running) {
      const calls_ = await listCalls(options.gatewayUrl, options.apiKey).catch(() => []);
      for (const call of calls_) {
        const match = ourCall.exec(call.sipCallId);
        if (!match) continue;
        const n = Number(match[1]);
        if (listed.has(n)) continue;
        listed.set(n, { sipCallId: call.sipCallId, agent: call.agent });
        firstAnswerAt ??= performance.now();
        if (options.masking !== 'on') {
          for (const hop of unblockHops) {
            hop
              .request({
                command: 'unblock DTMF',
                'call-id': call.sipCallId,
                'from-tag': tagOf(n),
                'delay-buffer': 0,
              })
              .catch((error: Error) => problems.push(`unblock ${call.sipCallId}: ${error.message}`));
          }
        }
        follows.push(
          (async () => {
            const payment = await api.startPayment(call.id, { securityCode: true });
            payments.set(call.sipCallId, payment);
            const frames = await followPayment({
              baseUrl: options.gatewayUrl,
              apiKey: options.apiKey,
              paymentId: payment.id,
              agent: sse,
              signal: aborter.signal,
            });
            return { sipCallId: call.sipCallId, frames };
          })().catch((error: Error) => {
            problems.push(`payment on ${call.sipCallId}: ${error.message}`);
            return { sipCallId: call.sipCallId, frames: [] };
          }),
        );
      }
      if (!cpuWindow && listed.size >= calls && firstAnswerAt !== undefined) {
        options.log(`  all ${calls} calls up after ${((performance.now() - started) / 1000).toFixed(1)} s`);
        // the first calls hang up `holdMs` after their answer: with under 5 s left, the N were never
        // up together (an overloaded machine lists them late): no window, and the run says so
        if (firstAnswerAt + holdMs - 1000 - performance.now() < 5000) {
          problems.push(
            `not all ${calls} calls were up at once: the last was listed ${((performance.now() - firstAnswerAt) / 1000).toFixed(1)} s after the first (ramp ${(rampMs / 1000).toFixed(1)} s)`,
          );
          allUpAtOnce = false;
          break;
        }
        // the delay probe: where each probed call's customer media enters the edge, then tcpdump
        for (const n of probeCallNumbers(calls, options.probes, mix.length)) {
          const call = listed.get(n);
          const agentIndex = call ? agentIndexOf(call.agent) : undefined;
          const agentPort = agentIndex === undefined ? undefined : agentMedia.ports[agentIndex];
          const stream = streams[layoutIndexOf(n, mix.length)];
          if (!call || agentPort === undefined || !stream) continue;
          const reply = await options.ng.edge
            .request({ command: 'query', 'call-id': call.sipCallId })
            .catch((error: Error) => {
              problems.push(`query ${call.sipCallId}: ${error.message}`);
              return undefined;
            });
          const edgePort = reply ? localPortOf(reply, tagOf(n)) : undefined;
          if (edgePort === undefined) continue;
          probed.push({ sipCallId: call.sipCallId, edgePort, agentPort, probes: stream.probes });
        }
        if (probed.length > 0) {
          capture = await startCapture(captureFile, probeFilter(probed, agentAddress)).catch(
            (error: Error) => {
              problems.push(`delay probe: ${error.message}`);
              return undefined;
            },
          );
        }
        cpuWindow = openCpuWindow(groups);
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
    } else if (allUpAtOnce) {
      allUpAtOnce = false;
      problems.push(`only ${listed.size} of ${calls} calls were up at once`);
    }

    for (const sipp of sipps) {
      await sipp.succeeded(timeoutS * 1000).catch((error: Error) => {
        problems.push(`${sipp.name}: ${error.message.split('\n')[0]}`);
      });
    }
    await capture?.stop();
    // the payments' last frames: give the processor time to answer, then stop following
    const settle = setTimeout(() => aborter.abort(), 10_000);
    const followed = await Promise.all(follows);
    clearTimeout(settle);
    const reports: AgentLeakReport[] = await agentMedia.finish();

    const gatewayPeakMib = peakRssMib(options.gatewayPid);
    const dtmfDrops = dtmfDrops_() - dropsBefore;
    const arrivals = dtmfArrivals(options.gatewayLog, logStart);
    const captureRaiseFailures = countLogLines(
      options.gatewayLog,
      'capture protection could not be raised',
      logStart,
    );
    const delays = capture
      ? callDelays(takeCapture(captureFile), probed, {
          rtpRange: [BENCH_PORTS.rtpMin, BENCH_PORTS.rtpMax],
          agentAddress,
        })
      : [];
    const keyToScreenMs: number[] = [];
    const lastKeyToOutcomeMs: number[] = [];
    let succeeded = 0;
    let inexactCalls = 0;
    const outcomes = new Map<string, string>();
    for (const { sipCallId, frames } of followed) {
      const last = frames.at(-1)?.view;
      outcomes.set(
        sipCallId,
        last ? `${last.status}${last.errorType ? ` ${last.errorType}` : ''}` : 'no frames',
      );
      if (last?.status === 'succeeded') succeeded += 1;
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

    // one record per call SIPp placed, whether the gateway listed it or not
    const matchedAgents = new Set<number>();
    const perCall: CallRecord[] = [];
    for (let n = 1; n <= calls; n += 1) {
      const stream = streams[layoutIndexOf(n, mix.length)] as CustomerStream;
      const call = listed.get(n);
      const agentIndex = call ? agentIndexOf(call.agent) : undefined;
      const report = agentIndex === undefined ? undefined : reports[agentIndex];
      if (agentIndex !== undefined && report) matchedAgents.add(agentIndex);
      const delay = call ? delays.find((entry) => entry.sipCallId === call.sipCallId) : undefined;
      perCall.push({
        n,
        layout: stream.layout.name,
        keys: call ? (arrivals.get(call.sipCallId)?.length ?? 0) : 0,
        keysExpected: keysAccepted(stream.layout, keys, options.masking !== 'on'),
        outcome: call ? (outcomes.get(call.sipCallId) ?? 'none') : 'not set up',
        ...(report
          ? {
              agent: {
                packets: report.packets,
                drops: report.drops,
                digitEvents: report.digitEvents,
                toneMs: report.toneMs,
              },
            }
          : {}),
        expectedPackets: Math.round((stream.customerPcmuPackets * stream.layout.ptimeMs) / 20),
        ...(delay ? { delayEarlyMs: delay.earlyMs, delayLateMs: delay.lateMs } : {}),
      });
    }
    for (const entry of delays) {
      if (entry.earlyMs.length + entry.lateMs.length === 0)
        problems.push(
          `delay probe ${entry.sipCallId}: no burst matched (${entry.customerPackets} customer, ${entry.agentPackets} agent packets captured)`,
        );
    }

    const result: LoadResult = {
      calls,
      masking: options.masking,
      startedAt,
      loadAverage: Math.round(loadAverage * 100) / 100,
      setUp: listed.size,
      allUpAtOnce,
      paymentsStarted: payments.size,
      succeeded,
      keysKeyed: keys.length,
      perCall,
      unmatchedAgents: reports.length - matchedAgents.size,
      keyToScreenMs: keyToScreenMs.map((ms) => Math.round(ms * 10) / 10),
      lastKeyToOutcomeMs: lastKeyToOutcomeMs.map((ms) => Math.round(ms * 10) / 10),
      inexactCalls,
      cpu: Object.fromEntries(
        Object.entries(cpu).map(([name, value]) => [name, Math.round(value * 100) / 100]),
      ),
      cpuWindowS: Math.round(cpuWindowS * 100) / 100,
      gatewayPeakMib: gatewayPeakMib === undefined ? undefined : Math.round(gatewayPeakMib * 10) / 10,
      dtmfDrops,
      captureRaiseFailures,
      problems,
    };
    // this load's figures, for a closer look (times and counts only: no key)
    writeFileSync(join(options.workDir, 'figures.json'), JSON.stringify(result, null, 1));
    return result;
  } finally {
    aborter.abort();
    await capture?.stop();
    await Promise.all(sipps.map((sipp) => sipp.kill()));
    sse.destroy();
    await agentMedia.terminate();
  }
}

/**
 * Every call `GET /v1/calls` lists, page after page (200 a page, following `nextCursor`: the list is
 * paginated, 50 a page by default).
 */
export async function listCalls(baseUrl: string, apiKey: string): Promise<CallView[]> {
  const calls: CallView[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    const url = new URL('/v1/calls', baseUrl);
    url.searchParams.set('limit', '200');
    if (cursor) url.searchParams.set('cursor', cursor);
    const response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
    if (!response.ok) throw new Error(`GET /v1/calls: HTTP ${response.status}`);
    const body = (await response.json()) as { calls: CallView[]; nextCursor?: string };
    calls.push(...body.calls);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return calls;
}

/** `bench-agent-7` → 6: the agent's injection line, i.e. its endpoint. */
function agentIndexOf(agent: string): number | undefined {
  const match = /^bench-agent-(\d+)$/.exec(agent);
  return match ? Number(match[1]) - 1 : undefined;
}

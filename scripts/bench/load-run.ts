/**
 * One load: N customer calls (one SIPp) through Kamailio and the three rtpengines to one SIPp agent, a
 * payment started by the API on every call, each customer keying a card in a layout of the masking
 * matrix (customer-mix.ts). The bench records and analyses every packet each agent received (digit
 * events, DTMF tone); some calls are captured on `lo` for the added delay (delay-probe.ts).
 */

import { setMaxListeners } from 'node:events';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { GatewayApi, type PaymentView } from '../../test/support/gateway-api.js';
import { type SippProcess, startSipp } from '../../test/support/sipp.js';
import { AgentDesks, deskCallNumbers } from './agent-desks.js';
import type { AgentLeakReport } from './agent-endpoint.js';
import { AgentMediaThread } from './agent-media-thread.js';
import { BENCH_PORTS } from './bench-ports.js';
import { callRecords, tallyPayments } from './call-outcomes.js';
import { layoutIndexOf, writeCustomerFiles } from './customer-scenario.js';
import {
  callDelays,
  findProbedCalls,
  type ProbedCall,
  probeCallNumbers,
  probeFilter,
  startCapture,
  takeCapture,
} from './delay-probe.js';
import { agentIndexOf, listCalls } from './gateway-calls.js';
import { countLogLines, dtmfArrivals } from './gateway-log.js';
import { measurePacketToDesk } from './key-end-packets.js';
import type { LoadOptions, LoadResult } from './load-types.js';
import { unblockCall } from './pass-through.js';
import { openCpuWindow, peakRssMib, udpDrops } from './proc.js';
import { benchCpuGroups, peakMemoryMib, rounded, roundedThreads } from './run-cpu.js';
import { followPayment, type ReceivedFrame, sseAgent } from './sse-follower.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { calls } = options;
  const problems: string[] = [];
  const startedAt = new Date().toISOString();
  const loadAverage = loadavg()[0] ?? 0;
  mkdirSync(options.workDir, { recursive: true });
  const { rampMs, keys, mix, streams, scenario, customerInf, holdMs } = writeCustomerFiles(
    options.workDir,
    calls,
    options.rate,
  );

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
  let measured: ReturnType<ReturnType<typeof openCpuWindow>['close']> | undefined;
  let wholeRun: ReturnType<typeof openCpuWindow> | undefined;
  let allUpAtOnce = true;
  let capture: Awaited<ReturnType<typeof startCapture>> | undefined;
  const captureFile = join(options.workDir, 'probe.pcap');
  const probed: ProbedCall[] = [];
  const probeNumbers = probeCallNumbers(calls, options.probes, mix.length);
  // agents' screens for a few probed calls (agent-desks.ts), launched before the load
  const desks = await AgentDesks.launch({
    baseUrl: options.gatewayUrl,
    callNumbers: deskCallNumbers(probeNumbers, mix),
    problems,
  });
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
    const groups = benchCpuGroups(
      options,
      () => sipps.map((sipp) => sipp.pid),
      () => [process.pid, ...(capture ? [capture.pid] : []), ...desks.pids()],
    );
    wholeRun = openCpuWindow(groups);

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
        desks.offer(n, call, () => payments.has(call.sipCallId));
        unblockCall(options, { sipCallId: call.sipCallId, fromTag: tagOf(n) }, problems);
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
        probed.push(
          ...(await findProbedCalls({
            numbers: probeNumbers,
            listed,
            agentPortOf: (agent) => agentMedia.ports[agentIndexOf(agent) ?? -1],
            probesOf: (n) => streams[layoutIndexOf(n, mix.length)]?.probes,
            edge: options.ng.edge,
            tagOf,
            problems,
          })),
        );
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
      measured = cpuWindow.close();
    } else if (allUpAtOnce) {
      allUpAtOnce = false;
      problems.push(`only ${listed.size} of ${calls} calls were up at once`);
    }

    for (const sipp of sipps) {
      await sipp.succeeded(timeoutS * 1000).catch((error: Error) => {
        problems.push(`${sipp.name}: ${error.message.split('\n')[0]}`);
      });
    }
    const whole = wholeRun?.close();
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
      "the customer's audio could not be muted",
      logStart,
    );
    const captured = capture ? takeCapture(captureFile) : undefined;
    const delays = captured
      ? callDelays(captured, probed, { rtpRange: [BENCH_PORTS.rtpMin, BENCH_PORTS.rtpMax], agentAddress })
      : [];
    const packetToDesk = measurePacketToDesk(captured, probed, await desks.collect(), agentAddress);
    const { keyToScreenMs, lastKeyToOutcomeMs, succeeded, inexactCalls, outcomes } = tallyPayments(
      followed,
      arrivals,
    );
    const { perCall, matchedAgents } = callRecords({
      calls,
      streams,
      listed,
      reports,
      delays,
      arrivals,
      outcomes,
      keys,
      masking: options.masking,
    });
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
      cpu: rounded(measured?.cpu ?? {}),
      cpuThreads: roundedThreads(measured?.threads ?? {}),
      cpuWindowS: Math.round((measured?.seconds ?? 0) * 100) / 100,
      ...(whole && { cpuWholeRun: rounded(whole.cpu), cpuThreadsWholeRun: roundedThreads(whole.threads) }),
      cpuWholeRunS: whole ? Math.round(whole.seconds * 100) / 100 : 0,
      peakMib: peakMemoryMib(options),
      gatewayPeakMib: gatewayPeakMib === undefined ? undefined : Math.round(gatewayPeakMib * 10) / 10,
      dtmfDrops,
      captureRaiseFailures,
      packetToDesk,
      problems,
    };
    // this load's figures, for a closer look (times and counts only: no key)
    writeFileSync(join(options.workDir, 'figures.json'), JSON.stringify(result, null, 1));
    return result;
  } finally {
    aborter.abort();
    await desks.close();
    await capture?.stop();
    await Promise.all(sipps.map((sipp) => sipp.kill()));
    sse.destroy();
    await agentMedia.terminate();
  }
}

/**
 * What became of each call of a load: the payments' outcomes and latencies from the frames followed,
 * and one record per call SIPp placed (its layout, keys, outcome, what its agent received, its delay).
 */

import type { AgentLeakReport } from './agent-endpoint.js';
import type { MaskingMode } from './bench-ports.js';
import { type CustomerStream, keysAccepted } from './customer-mix.js';
import { layoutIndexOf } from './customer-scenario.js';
import type { CallDelay } from './delay-probe.js';
import { agentIndexOf } from './gateway-calls.js';
import { callLatencies } from './latency.js';
import type { CallRecord } from './load-types.js';
import type { ReceivedFrame } from './sse-follower.js';

/** Each payment's last status, the ones that succeeded, and key → screen and last key → outcome times. */
export function tallyPayments(
  followed: readonly { sipCallId: string; frames: ReceivedFrame[] }[],
  arrivals: ReadonlyMap<string, number[]>,
) {
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
  return { keyToScreenMs, lastKeyToOutcomeMs, succeeded, inexactCalls, outcomes };
}

/** One record per call SIPp placed, whether the gateway listed it or not. */
export function callRecords(input: {
  calls: number;
  streams: readonly CustomerStream[];
  listed: ReadonlyMap<number, { sipCallId: string; agent: string }>;
  reports: readonly AgentLeakReport[];
  delays: readonly CallDelay[];
  arrivals: ReadonlyMap<string, number[]>;
  outcomes: ReadonlyMap<string, string>;
  keys: string;
  masking: MaskingMode;
}): { perCall: CallRecord[]; matchedAgents: Set<number> } {
  const { calls, streams, listed, reports, delays, arrivals, outcomes, keys } = input;
  // one record per call SIPp placed, whether the gateway listed it or not
  const matchedAgents = new Set<number>();
  const perCall: CallRecord[] = [];
  for (let n = 1; n <= calls; n += 1) {
    const stream = streams[layoutIndexOf(n, streams.length)] as CustomerStream;
    const call = listed.get(n);
    const agentIndex = call ? agentIndexOf(call.agent) : undefined;
    const report = agentIndex === undefined ? undefined : reports[agentIndex];
    if (agentIndex !== undefined && report) matchedAgents.add(agentIndex);
    const delay = call ? delays.find((entry) => entry.sipCallId === call.sipCallId) : undefined;
    perCall.push({
      n,
      layout: stream.layout.name,
      keys: call ? (arrivals.get(call.sipCallId)?.length ?? 0) : 0,
      keysExpected: keysAccepted(stream.layout, keys, input.masking !== 'on'),
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
      expectedPackets: Math.round(
        (heardPackets(stream, input.masking, call && outcomes.get(call.sipCallId)) * stream.layout.ptimeMs) /
          20,
      ),
      ...(delay ? { delayEarlyMs: delay.earlyMs, delayLateMs: delay.lateMs } : {}),
    });
  }
  return { perCall, matchedAgents };
}

/**
 * The customer's PCMU packets the agent should get: all of them without masking; masked, the payment
 * mutes the customer on the mute hop from its start until after its last key, so those after the
 * layout's keys, and none when the payment was still capturing when the customer hung up (a layout
 * whose keys are never all reported: the call stays muted to the end).
 */
function heardPackets(stream: CustomerStream, masking: MaskingMode, outcome: string | undefined): number {
  if (masking !== 'on') return stream.customerPcmuPackets;
  return outcome?.endsWith('caller-hung-up') ? 0 : stream.tailPcmuPackets;
}

import type { CallHarness, CustomerOptions, PlacedCall } from './call-harness.js';

/** The calls of a group, each as soon as it is placed, and the whole group. */
export interface CallsAtOnce {
  /** One per customer, in order: resolves once that call reached the agent (rejects if the group fails). */
  readonly calls: readonly Promise<PlacedCall>[];
  /** Every call, once the last one reached the agent. */
  readonly placed: Promise<PlacedCall[]>;
}

/**
 * Places the customers' calls at once (CallHarness.placeCallGroup: one agent UAS answers them all,
 * each with a sink of its own) and hands each call out as soon as it reached the agent, so that
 * tests running concurrently, one per call, can each start a payment on theirs before its customer
 * keys, however many calls are placed after it.
 */
export function placeCallsAtOnce(
  harness: CallHarness,
  customers: readonly CustomerOptions[],
  agentId = 'agent-7',
): CallsAtOnce {
  const settle: Array<{ resolve: (call: PlacedCall) => void; reject: (error: unknown) => void }> = [];
  const calls = customers.map(() => {
    const call = new Promise<PlacedCall>((resolve, reject) => settle.push({ resolve, reject }));
    // a call no test waits for yet must not turn a failed group into an unhandled rejection
    call.catch(() => undefined);
    return call;
  });
  const placed = harness.placeCallGroup(customers, agentId, (call, index) => settle[index]?.resolve(call));
  placed.catch((error: unknown) => {
    for (const entry of settle) entry.reject(error);
  });
  return { calls, placed };
}

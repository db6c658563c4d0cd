import type { CallAnsweredEvent } from '../../src/adapters/kamailio/call-event.js';

/** An evapi call-answered event as kamailio.cfg sends it: inbound, the caller is the customer. */
export function answeredEvent(callId: string, overrides: Partial<CallAnsweredEvent> = {}): CallAnsweredEvent {
  return {
    event: 'call-answered',
    callId,
    fromTag: `${callId}-from`,
    toTag: `${callId}-to`,
    customerTag: `${callId}-from`,
    agentTag: `${callId}-to`,
    direction: 'inbound',
    caller: '447700900123',
    callee: 'support',
    agent: 'agent-7',
    masking: 'on',
    ts: 1_764_000_000,
    ...overrides,
  };
}

import { describe, expect, it } from 'vitest';
import { parseCallEvent } from '../../src/adapters/kamailio/call-event.js';

const answered = {
  event: 'call-answered',
  callId: 'c1',
  fromTag: 'f',
  toTag: 't',
  customerTag: 'f',
  agentTag: 't',
  direction: 'inbound',
  caller: '447000',
  callee: '1000',
  agent: 'agent-1',
  masking: 'on',
  phase: 'agent',
  ts: 1,
};

describe("kamailio.cfg's call-answered event and its media node", () => {
  it('carries the node of the chain when Kamailio sends it', () => {
    const event = parseCallEvent(JSON.stringify({ ...answered, mediaNode: 'udp:127.0.0.1:2237' }));
    expect(event).toMatchObject({ event: 'call-answered', mediaNode: 'udp:127.0.0.1:2237' });
  });

  it('keeps the call without a node, or with one that is not a node address', () => {
    expect(parseCallEvent(JSON.stringify(answered))).not.toHaveProperty('mediaNode', expect.anything());
    const odd = parseCallEvent(JSON.stringify({ ...answered, mediaNode: '<null>' }));
    expect(odd).toMatchObject({ event: 'call-answered', callId: 'c1' });
    expect(odd).not.toHaveProperty('mediaNode', expect.anything());
  });
});

import { describe, expect, it } from 'vitest';
import { callsFromDialogList } from '../../src/adapters/kamailio/dialog-list.js';

// Recorded from kamailio 5.6.3 `dlg.list` (JSON-RPC) on this project's kamailio.cfg.
const answeredDialog = {
  h_entry: 2058,
  h_id: 8064,
  ref: 2,
  'call-id': '1-10744@127.0.0.1',
  from_uri: 'sip:4479460000001@127.0.0.1:5062',
  to_uri: 'sip:1000@127.0.0.1:5060',
  state: 4,
  start_ts: 1795421943,
  caller: { tag: '10744c1', contact: 'sip:4479460000001@127.0.0.1:5062;transport=UDP', cseq: '1' },
  callee: { tag: '10732a1', contact: 'sip:agent@127.0.0.2:5080;transport=UDP', cseq: '0' },
  profiles: [],
  variables: [
    { masking: 'on' },
    { agent: 'agent-42' },
    { agent_tag: '10732a1' },
    { customer_tag: '10744c1' },
    { answered_at: '1795421943' },
    { agent_fallback: '1000' },
    { direction: 'inbound' },
    { callee: '1000' },
    { caller: '4479460000001' },
  ],
};
const ringingDialog = {
  ...answeredDialog,
  'call-id': 'ringing',
  state: 2,
  variables: [{ direction: 'inbound' }, { caller: '1' }, { callee: '2' }],
};

describe('callsFromDialogList', () => {
  it('turns answered dialogs with tonewall vars into call events and skips the rest', () => {
    const { calls, skipped } = callsFromDialogList([answeredDialog, ringingDialog, { nonsense: true }]);
    expect(skipped).toBe(2);
    expect(calls).toEqual([
      {
        event: 'call-answered',
        callId: '1-10744@127.0.0.1',
        fromTag: '10744c1',
        toTag: '10732a1',
        customerTag: '10744c1',
        agentTag: '10732a1',
        direction: 'inbound',
        caller: '4479460000001',
        callee: '1000',
        agent: 'agent-42',
        masking: 'on',
        phase: 'agent',
        ts: 1795421943,
      },
    ]);
  });

  it('reads a call still in its IVR (TONEWALL_MASKING_FROM=agent) as unmasked, with no agent', () => {
    const variables = [
      ...answeredDialog.variables.filter((entry) => !('agent' in entry) && !('masking' in entry)),
      { agent: '' },
      { masking: 'on' }, // a stale or forged value: the phase decides
      { phase: 'ivr' },
    ];
    expect(callsFromDialogList([{ ...answeredDialog, variables }]).calls).toEqual([
      expect.objectContaining({ phase: 'ivr', agent: '', masking: 'off' }),
    ]);
  });

  it('accepts confirmed-not-yet-acknowledged dialogs (state 3)', () => {
    expect(callsFromDialogList([{ ...answeredDialog, state: 3 }]).calls).toHaveLength(1);
  });

  it('skips an answered dialog without the customer tag var', () => {
    const variables = answeredDialog.variables.filter((entry) => !('customer_tag' in entry));
    expect(callsFromDialogList([{ ...answeredDialog, variables }])).toEqual({ calls: [], skipped: 1 });
  });

  it('treats a missing result as no dialogs and rejects a non-list', () => {
    expect(callsFromDialogList(undefined).calls).toEqual([]);
    expect(() => callsFromDialogList({ dialogs: 1 })).toThrow(
      expect.objectContaining({ code: 'GW_ERR_KAMAILIO_RPC' }),
    );
  });

  it("carries the chain's media node (media_node) when the dialog has it", () => {
    const variables = [...answeredDialog.variables, { media_node: 'udp:127.0.0.1:2237' }];
    const [call] = callsFromDialogList([{ ...answeredDialog, variables }]).calls;
    expect(call?.mediaNode).toBe('udp:127.0.0.1:2237');
    expect(callsFromDialogList([answeredDialog]).calls[0]).not.toHaveProperty('mediaNode');
  });
});

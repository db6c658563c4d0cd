import { describe, expect, it } from 'vitest';
import { type CallChange, CallRegistry, callIdFor } from '../../src/application/calls/call-registry.js';
import { DtmfRouter } from '../../src/application/media/dtmf-router.js';
import type { KeypadKey } from '../../src/domain/capture/keypad.js';
import { answeredEvent } from '../support/call-fixtures.js';
import { captureLogs } from '../support/log-capture.js';

const answered = answeredEvent;

describe('CallRegistry', () => {
  it('adds answered calls once, with a stable id and the customer by direction', () => {
    const registry = new CallRegistry();
    const changes: CallChange[] = [];
    registry.onChange((change) => changes.push(change));
    const inbound = registry.answered(answered('a'));
    registry.answered(answered('a'));
    const outbound = registry.answered(
      answered('b', { direction: 'outbound', caller: 'agent-7', callee: '447700900999' }),
    );
    expect(changes).toHaveLength(2);
    expect(inbound).toMatchObject({
      id: callIdFor('a'),
      customer: '447700900123',
      answeredAt: '2025-11-24T16:00:00.000Z',
    });
    expect(outbound.customer).toBe('447700900999');
    expect(callIdFor('a')).toBe(callIdFor('a'));
    expect(callIdFor('a')).not.toBe(callIdFor('b'));
    expect(registry.byId(inbound.id)).toBe(inbound);
  });

  it('removes ended calls and ignores unknown ones', () => {
    const registry = new CallRegistry();
    registry.answered(answered('a'));
    registry.ended('zzz', 'bye');
    registry.ended('a', 'bye');
    expect(registry.list()).toEqual([]);
  });

  it('reconciles with a snapshot: adds the missing, removes the gone, keeps the rest', () => {
    const registry = new CallRegistry();
    registry.answered(answered('keep'));
    registry.answered(answered('gone'));
    const result = registry.reconcile([answered('keep'), answered('new')]);
    expect(result).toEqual({ added: 1, removed: 1 });
    expect(
      registry
        .list()
        .map((call) => call.sipCallId)
        .sort(),
    ).toEqual(['keep', 'new']);
  });

  it('moves a call from its IVR to its agent once, then on transfers; masking once on stays on', () => {
    const registry = new CallRegistry();
    const changes: CallChange[] = [];
    registry.onChange((change) => changes.push(change));
    const ivr = registry.answered(answered('a', { agent: '', masking: 'off', phase: 'ivr' }));
    expect(ivr).toMatchObject({ phase: 'ivr', agent: '', masking: 'off' });
    expect(registry.agentConnected('zzz', { agent: 'x', masking: 'on' }, 'sip')).toBeUndefined();
    const first = registry.agentConnected('a', { agent: 'agent-1', masking: 'on' }, 'sip');
    expect(first).toMatchObject({ id: ivr.id, phase: 'agent', agent: 'agent-1', masking: 'on' });
    // the same again changes nothing; a transfer whose hop did not answer keeps masking on
    expect(registry.agentConnected('a', { agent: 'agent-1', masking: 'on' }, 'sip')).toBe(first);
    const moved = registry.agentConnected('a', { agent: 'agent-2', masking: 'off' }, 'api');
    expect(moved).toMatchObject({ agent: 'agent-2', masking: 'on', phase: 'agent' });
    expect(
      changes.map((change) => [change.type, change.type === 'agent' ? change.previous.agent : '']),
    ).toEqual([
      ['added', ''],
      ['agent', ''],
      ['agent', 'agent-1'],
    ]);
    // a resync after a restart: Kamailio says another agent has it now
    registry.reconcile([answered('a', { agent: 'agent-3', masking: 'on', phase: 'agent' })]);
    expect(registry.bySipCallId('a')).toMatchObject({ agent: 'agent-3', phase: 'agent' });
    expect(changes.at(-1)).toMatchObject({ type: 'agent', via: 'resync' });
  });
});

describe('DtmfRouter', () => {
  it('passes on only the customer’s keys of known calls', () => {
    const registry = new CallRegistry();
    registry.answered(answered('a'));
    const received: Array<[string, KeypadKey]> = [];
    const router = new DtmfRouter({
      registry,
      logger: captureLogs().logger,
      sink: { onCustomerKey: (call, key) => received.push([call.sipCallId, key]) },
    });
    router.route({ sipCallId: 'a', sourceTag: 'a-from', key: '4', durationMs: 80 });
    router.route({ sipCallId: 'a', sourceTag: 'a-to', key: '9', durationMs: 80 });
    router.route({ sipCallId: 'b', sourceTag: 'b-from', key: '1', durationMs: 80 });
    router.route({ sipCallId: 'a', sourceTag: 'stranger', key: '2', durationMs: 80 });
    router.route({ sipCallId: 'a', sourceTag: 'a-from', key: '#', durationMs: 80 });
    expect(received).toEqual([
      ['a', '4'],
      ['a', '#'],
    ]);
    expect(router.stats).toEqual({ customer: 2, agentIgnored: 1, unknownCall: 1, unknownTag: 1 });
  });
});

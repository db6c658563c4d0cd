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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type StateBackend } from '../../support/state-backends.js';

const charge = (paymentId: string, callId: string, sentAt: number) => ({
  paymentId,
  callId,
  agent: 'agent-7',
  processorKey: `tw1_${paymentId}`,
  sentAt,
});

describe.each(['embedded', 'redis'] as const)('the charge ledger, %s', (name) => {
  let backend: StateBackend;
  beforeAll(async () => {
    backend = await openBackend(name);
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('keeps a charge from sending until settled, oldest first, and knows the calls it holds', async () => {
    const ledger = await backend.charges();
    ledger.sending(charge('PKlater', 'CA1', 2_000));
    ledger.sending(charge('PKfirst', 'CA1', 1_000));
    ledger.sending(charge('PKother', 'CA2', 3_000));
    expect(ledger.inDoubt()).toEqual([
      { ...charge('PKfirst', 'CA1', 1_000), state: 'sending' },
      { ...charge('PKlater', 'CA1', 2_000), state: 'sending' },
      { ...charge('PKother', 'CA2', 3_000), state: 'sending' },
    ]);
    ledger.unknown('PKlater');
    expect(ledger.inDoubt().find((row) => row.paymentId === 'PKlater')?.state).toBe('unknown');
    ledger.settled('PKfirst');
    expect(ledger.inDoubtOnCall('CA1')).toBe(true);
    ledger.settled('PKlater');
    expect(ledger.inDoubtOnCall('CA1')).toBe(false);
    expect(ledger.inDoubtOnCall('CA2')).toBe(true);
    ledger.settled('PKother');
    expect(ledger.inDoubt()).toEqual([]);
    ledger.unknown('PKnever');
    ledger.settled('PKnever');
    expect(ledger.inDoubt()).toEqual([]);
  });

  it('the next run of the gateway finds its charge left sending as unknown, on the same call', async () => {
    const first = await backend.charges({ owner: 'gw-a' });
    first.sending(charge('PKcrash', 'CA9', Date.now()));
    const next = await backend.charges({ owner: 'gw-a' });
    expect(next.inDoubt()).toEqual([{ ...charge('PKcrash', 'CA9', expect.any(Number)), state: 'unknown' }]);
    expect(next.inDoubtOnCall('CA9')).toBe(true);
    next.settled('PKcrash');
  });

  it('a charge sent again under the same payment replaces its row (and its call)', async () => {
    const ledger = await backend.charges();
    ledger.sending(charge('PKagain', 'CA3', 1_000));
    ledger.sending(charge('PKagain', 'CA4', 5_000));
    expect(ledger.inDoubt()).toEqual([{ ...charge('PKagain', 'CA4', 5_000), state: 'sending' }]);
    expect(ledger.inDoubtOnCall('CA3')).toBe(false);
    ledger.settled('PKagain');
  });
});

describe('the Redis charge ledger shared by two gateways', () => {
  let backend: StateBackend;
  beforeAll(async () => {
    backend = await openBackend('redis');
  });
  afterAll(async () => {
    await backend?.close();
  });

  it("each gateway lists (and so reconciles) its own charges only; either refuses a charge on the other's call", async () => {
    const a = await backend.charges({ owner: 'gw-a' });
    a.sending(charge('PKmine', 'CA1', 1_000));
    a.unknown('PKmine');
    const b = await backend.charges({ owner: 'gw-b' });
    expect(b.inDoubt()).toEqual([]);
    expect(b.inDoubtOnCall('CA1')).toBe(true);
    b.sending(charge('PKtheirs', 'CA2', 2_000));
    expect(a.inDoubt().map((row) => row.paymentId)).toEqual(['PKmine']);
    expect(a.inDoubtOnCall('CA2')).toBe(true);
    // B's start left A's row as A made it; A's own restart is what turns its sending rows unknown
    const again = await backend.charges({ owner: 'gw-b' });
    expect(again.inDoubt()).toEqual([{ ...charge('PKtheirs', 'CA2', 2_000), state: 'unknown' }]);
    a.settled('PKmine');
    again.settled('PKtheirs');
    expect(b.inDoubtOnCall('CA1') || a.inDoubtOnCall('CA2')).toBe(false);
  });

  it('never lets a charge in doubt expire', async () => {
    const ledger = await backend.charges();
    ledger.sending(charge('PKkept', 'CA5', 1_000));
    expect(backend.redis?.cli('PTTL', 'tw:charge:PKkept').trim()).toBe('-1');
    expect(backend.redis?.cli('PTTL', 'tw:charges').trim()).toBe('-1');
    expect(backend.redis?.cli('PTTL', 'tw:charges:call:CA5').trim()).toBe('-1');
  });
});

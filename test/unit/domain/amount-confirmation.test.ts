import { describe, expect, it } from 'vitest';
import { paymentEntry } from '../../../src/domain/audit/audit-entries.js';
import { toAgentView } from '../../../src/domain/capture/agent-view.js';
import { allWiped, commandTypes, prompts, startDriver } from './support.js';

const CARD = '4111111111111111';
const EXPIRY = '1227';

/** A driver reading the amount back, with every field keyed and valid. */
function allKeyed() {
  const d = startDriver({ confirmAmount: true });
  const done = d.press(`${CARD}#${EXPIRY}123`);
  return { d, done };
}

describe('reading the amount back (confirmAmount)', () => {
  it('once every field is valid: the amount is said, # is awaited, nothing goes to the processor yet', () => {
    const { d, done } = allKeyed();
    expect(commandTypes(done.commands).slice(-3)).toEqual(['read-back-amount', 'schedule-timeout', 'notify']);
    expect(commandTypes(done.commands)).not.toContain('tokenise');
    expect(d.state).toMatchObject({
      status: 'in-progress',
      capture: null,
      readBack: { status: 'awaiting', said: 1 },
    });
    expect(d.state.deadline).toBe(d.clock.now() + 15_000);
    const view = toAgentView(d.state);
    expect(view).toMatchObject({ status: 'in-progress', capture: null, required: [], readBack: 'awaiting' });
    expect(paymentEntry(view, 5, 'agent-1').data).toMatchObject({ amountReadBack: 'awaiting' });
  });

  it('# confirms: processing, the card to the processor, the view and audit say confirmed', () => {
    const { d } = allKeyed();
    const { commands } = d.press('#');
    expect(commandTypes(commands)).toEqual(['clear-timeout', 'play-prompt', 'tokenise', 'notify']);
    expect(prompts(commands)).toEqual(['payment-processing']);
    expect(d.state.status).toBe('processing');
    expect(paymentEntry(toAgentView(d.state), 6, 'agent-1').data).toMatchObject({
      status: 'processing',
      amountReadBack: 'confirmed',
    });
  });

  it('* cancels: cancelled, every digit zeroed, no processor', () => {
    const { d } = allKeyed();
    const { commands } = d.press('*');
    expect(commandTypes(commands)).not.toContain('tokenise');
    expect(prompts(commands)).toEqual(['payment-cancelled']);
    expect(d.state).toMatchObject({ status: 'cancelled', result: { outcome: 'cancelled' } });
    expect(allWiped(d.state)).toBe(true);
  });

  it('digits and other keys while it waits change nothing', () => {
    const { d } = allKeyed();
    const before = d.state;
    expect(d.press('12A').commands).toEqual([]);
    expect(d.state).toBe(before);
  });

  it('silence: said again up to maxAttempts times, then the payment fails (input-timeout, cancelled)', () => {
    const { d } = allKeyed();
    expect(commandTypes(d.wait(15_000).commands)).toContain('read-back-amount');
    expect(d.state.readBack).toEqual({ status: 'awaiting', said: 2 });
    d.wait(15_000);
    expect(d.state.readBack).toEqual({ status: 'awaiting', said: 3 });
    const { commands } = d.wait(15_000);
    expect(prompts(commands)).toEqual(['payment-cancelled']);
    expect(d.state).toMatchObject({
      status: 'failed',
      errorType: 'input-timeout',
      result: { outcome: 'cancelled' },
    });
    expect(allWiped(d.state)).toBe(true);
  });

  it('without confirmAmount: straight to the processor, no read-back in the view', () => {
    const d = startDriver();
    const { commands } = d.press(`${CARD}#${EXPIRY}123`);
    expect(commandTypes(commands)).toContain('tokenise');
    expect(commandTypes(commands)).not.toContain('read-back-amount');
    expect(toAgentView(d.state).readBack).toBeUndefined();
  });

  it('agent mode: complete says the amount first; asking for a field again drops the read-back', () => {
    const d = startDriver({ confirmAmount: true, captureMode: 'agent' });
    for (const [field, keys] of [
      ['payment-card-number', `${CARD}#`],
      ['expiration-date', EXPIRY],
      ['security-code', '123'],
    ] as const) {
      d.send({ type: 'capture', field, now: d.clock.advance(100) });
      d.press(keys);
    }
    const completed = d.send({ type: 'complete', now: d.clock.advance(100) });
    expect(commandTypes(completed.commands)).toContain('read-back-amount');
    expect(d.state.readBack?.status).toBe('awaiting');
    d.send({ type: 'capture', field: 'security-code', now: d.clock.advance(100) });
    expect(d.state.readBack).toBeUndefined();
    d.press('456');
    expect(d.send({ type: 'complete', now: d.clock.advance(100) }).commands.map((c) => c.type)).toContain(
      'read-back-amount',
    );
    d.press('#');
    expect(d.state.status).toBe('processing');
  });
});

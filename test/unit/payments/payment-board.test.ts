import { describe, expect, it } from 'vitest';
import { PaymentBoard } from '../../../src/application/payments/payment-board.js';
import type { PaymentUpdate } from '../../../src/application/payments/payment-ports.js';
import type { AgentView } from '../../../src/domain/capture/agent-view.js';
import type { PaymentStatus } from '../../../src/domain/capture/capture-types.js';
import { FakeTime } from '../../support/fake-time.js';

const HOUR = 3_600_000;

function setUp(options: { retainFinishedMs?: number; max?: number } = {}) {
  const time = new FakeTime();
  const listeners: Array<(update: PaymentUpdate) => void> = [];
  const agents = new Map<string, string>();
  const board = new PaymentBoard({
    payments: {
      onUpdate: (listener) => {
        listeners.push(listener);
        return () => {};
      },
      callOf: (id) => {
        const agent = agents.get(id);
        if (agent === undefined) throw new Error('no such payment');
        return { agent };
      },
    },
    clock: time,
    ...options,
  });
  let sequence = 0;
  const update = (id: string, status: PaymentStatus, progress = false) => {
    const view = { id, callId: `CA${id}`, status, capture: null, required: [], fields: {} } as AgentView;
    for (const listener of listeners) listener({ view, sequence: ++sequence, at: '', progress });
  };
  const start = (id: string, agent = 'alice') => {
    agents.set(id, agent);
    update(id, 'in-progress');
    time.advance(1_000);
  };
  const ids = (filter: { active: boolean; agent?: string } = { active: false }) =>
    board.list(filter).map((entry) => entry.id);
  return { time, board, update, start, ids };
}

describe('PaymentBoard', () => {
  it('lists payments newest first, by agent and by whether they are live', () => {
    const t = setUp();
    t.start('P1', 'alice');
    t.start('P2', 'bob');
    t.start('P3', 'alice');
    t.update('P2', 'succeeded');
    expect(t.ids()).toEqual(['P3', 'P2', 'P1']);
    expect(t.ids({ active: true })).toEqual(['P3', 'P1']);
    expect(t.ids({ active: false, agent: 'alice' })).toEqual(['P3', 'P1']);
    expect(t.board.list({ active: false, agent: 'bob' })[0]).toMatchObject({
      id: 'P2',
      callId: 'CAP2',
      agent: 'bob',
      status: 'succeeded',
      startedAt: '2026-11-23T09:00:01.000Z',
      updatedAt: '2026-11-23T09:00:03.000Z',
    });
  });

  it('ignores updates that only add a digit, and payments it cannot place with an agent', () => {
    const t = setUp();
    t.start('P1');
    t.time.advance(5_000);
    t.update('P1', 'in-progress', true);
    expect(t.board.list({ active: false })[0]?.updatedAt).toBe('2026-11-23T09:00:00.000Z');
    t.update('P-unknown', 'in-progress');
    expect(t.ids()).toEqual(['P1']);
  });

  it('lists a tracked payment with the agent it was given', () => {
    const t = setUp();
    const view = { id: 'P9', callId: 'CA9', status: 'in-progress', capture: null, required: [], fields: {} };
    t.board.track(view as AgentView, { agent: 'carol' });
    expect(t.board.list({ active: false, agent: 'carol' }).map((entry) => entry.id)).toEqual(['P9']);
  });

  it('keeps finished payments for the retention time, live ones for ever', () => {
    const t = setUp({ retainFinishedMs: HOUR });
    t.start('P1');
    t.start('P2');
    t.update('P1', 'failed');
    t.time.advance(HOUR);
    expect(t.ids()).toEqual(['P2', 'P1']);
    t.time.advance(1);
    expect(t.ids()).toEqual(['P2']);
    t.time.advance(10 * HOUR);
    expect(t.ids()).toEqual(['P2']);
  });

  it('holds at most `max`, forgetting the first finished first and never a live payment', () => {
    const t = setUp({ max: 3 });
    for (const id of ['P1', 'P2', 'P3', 'P4']) t.start(id);
    expect(t.ids()).toEqual(['P4', 'P3', 'P2', 'P1']);
    t.update('P3', 'cancelled');
    t.update('P1', 'cancelled');
    expect(t.ids()).toEqual(['P4', 'P2', 'P1']);
    t.update('P2', 'cancelled');
    t.update('P4', 'cancelled');
    expect(t.ids()).toEqual(['P4', 'P2', 'P1']);
  });
});

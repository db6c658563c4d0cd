import { describe, expect, it } from 'vitest';
import { PaymentListeners } from '../../../src/application/payments/payment-listeners.js';
import type { PaymentUpdate } from '../../../src/application/payments/payment-ports.js';
import type { AgentView } from '../../../src/domain/capture/agent-view.js';
import { captureLogs } from '../../support/log-capture.js';

const update = (sequence: number): PaymentUpdate => ({
  view: { id: 'P1' } as AgentView,
  sequence,
  at: '2026-11-23T09:00:00.000Z',
  progress: false,
});

describe('PaymentListeners', () => {
  it("gives the payment's subscribers an update before everyone's, past a listener that throws", () => {
    const listeners = new PaymentListeners();
    const logs = captureLogs();
    const heard: string[] = [];
    listeners.onUpdate((u) => heard.push(`all ${u.sequence}`));
    listeners.subscribe('P1', () => {
      throw new Error('stream closed');
    });
    listeners.subscribe('P1', (u) => heard.push(`P1 ${u.sequence}`));
    listeners.subscribe('P2', (u) => heard.push(`P2 ${u.sequence}`));
    listeners.publish('P1', update(1), logs.logger);
    expect(heard).toEqual(['P1 1', 'all 1']);
    expect(logs.text()).toContain('payment update listener failed');
  });

  it('stops on unsubscribe and on forget; an old unsubscribe leaves a new subscriber alone', () => {
    const listeners = new PaymentListeners();
    const logger = captureLogs().logger;
    const heard: number[] = [];
    const stopOld = listeners.subscribe('P1', (u) => heard.push(u.sequence));
    listeners.forget('P1');
    listeners.publish('P1', update(1), logger);
    listeners.subscribe('P1', (u) => heard.push(u.sequence * 10));
    stopOld();
    listeners.publish('P1', update(2), logger);
    expect(heard).toEqual([20]);
  });
});

import { describe, expect, it } from 'vitest';
import { CallRegistry } from '../../../src/application/calls/call-registry.js';
import { type PaymentRequest, PaymentService } from '../../../src/application/payments/payment-service.js';
import { answeredEvent } from '../../support/call-fixtures.js';
import { FakeTime } from '../../support/fake-time.js';
import { captureLogs } from '../../support/log-capture.js';
import { ScriptedConnector } from '../../support/scripted-connector.js';

const request = (idempotencyKey: string): PaymentRequest => ({
  idempotencyKey,
  tokenType: 'one-time',
  settings: {},
});

function setUp(retainFinished: number) {
  const time = new FakeTime();
  const registry = new CallRegistry();
  const service = new PaymentService({
    registry,
    connector: new ScriptedConnector(),
    prompts: { play: async () => {} },
    clock: time,
    timers: time,
    logger: captureLogs().logger,
    retainFinished,
  });
  const call = registry.answered(answeredEvent('sip-1'));
  /** Starts a payment and cancels it at once: one more finished payment. */
  const finishOne = (key: string) => {
    const { view } = service.create(call.id, request(key));
    service.cancel(view.id);
    time.advance(1_000);
    return view.id;
  };
  return { service, registry, call, finishOne, time };
}

describe('PaymentService retention', () => {
  it('forgets the payments that finished first once more than `retainFinished` have finished', () => {
    const t = setUp(2);
    const ids = ['k1', 'k2', 'k3', 'k4'].map((key) => t.finishOne(key));
    expect(() => t.service.get(ids[0] ?? '')).toThrow(expect.objectContaining({ code: 'GW_ERR_NOT_FOUND' }));
    expect(() => t.service.get(ids[1] ?? '')).toThrow(expect.objectContaining({ code: 'GW_ERR_NOT_FOUND' }));
    expect(t.service.get(ids[2] ?? '').status).toBe('cancelled');
    expect(t.service.get(ids[3] ?? '').status).toBe('cancelled');
  });

  it('orders by finish, not by start, and never forgets a payment still in progress', () => {
    const t = setUp(1);
    const live = t.service.create(t.call.id, request('live')).view.id;
    const second = t.registry.answered({ ...answeredEvent('sip-2'), customerTag: 'c2', fromTag: 'c2' });
    const finishOnSecond = (key: string) => {
      const { view } = t.service.create(second.id, request(key));
      t.service.cancel(view.id);
      return view.id;
    };
    const b = finishOnSecond('b');
    const c = finishOnSecond('c');
    expect(() => t.service.get(b)).toThrow(expect.objectContaining({ code: 'GW_ERR_NOT_FOUND' }));
    expect(t.service.get(live).status).toBe('in-progress');
    t.service.cancel(live);
    expect(() => t.service.get(c)).toThrow(expect.objectContaining({ code: 'GW_ERR_NOT_FOUND' }));
    expect(t.service.get(live).status).toBe('cancelled');
  });

  it('releases a forgotten payment’s idempotency key, and keeps a kept one’s', () => {
    const t = setUp(1);
    const first = t.finishOne('k1');
    t.finishOne('k2');
    expect(t.service.replayCall(t.call.id, 'k1')).toBeUndefined();
    expect(t.service.replayCall(t.call.id, 'k2')).toBe(t.call);
    const again = t.service.create(t.call.id, request('k1'));
    expect(again.created).toBe(true);
    expect(again.view.id).not.toBe(first);
    expect(t.service.create(t.call.id, request('k1'))).toEqual({ view: again.view, created: false });
  });
});

import { describe, expect, it } from 'vitest';
import { CallRegistry } from '../../../src/application/calls/call-registry.js';
import { CaptureMasking, type CaptureMaskingPort } from '../../../src/application/media/capture-masking.js';
import type { PaymentUpdate } from '../../../src/application/payments/payment-ports.js';
import { answeredEvent } from '../../support/call-fixtures.js';
import { FakeTime } from '../../support/fake-time.js';
import { captureLogs } from '../../support/log-capture.js';

function update(callId: string, paymentId: string, status: string): PaymentUpdate {
  return {
    view: { id: paymentId, callId, status } as PaymentUpdate['view'],
    sequence: 1,
    at: '',
    progress: false,
  };
}

function setUp(fail = false, enterTakesMs = 0) {
  const steps: string[] = [];
  const port: CaptureMaskingPort = {
    enter: async (call) => {
      if (enterTakesMs > 0) await new Promise((resolve) => setTimeout(resolve, enterTakesMs));
      steps.push(`enter ${call.sipCallId}`);
      if (fail) throw new Error('no rtpengine');
    },
    leave: async (call) => {
      steps.push(`leave ${call.sipCallId}`);
    },
  };
  const registry = new CallRegistry();
  const call = registry.answered(answeredEvent('sip-1'));
  const logs = captureLogs();
  const time = new FakeTime();
  const masking = new CaptureMasking({
    port,
    registry,
    logger: logs.logger,
    timers: time,
    unmuteDelayMs: 500,
  });
  return { steps, call, registry, masking, logs, time };
}

describe('CaptureMasking', () => {
  it("mutes the customer's audio once when a payment starts and lets it through once when it ends", async () => {
    const { steps, call, masking, time } = setUp();
    masking.onUpdate(update(call.id, 'p1', 'in-progress'));
    masking.onUpdate(update(call.id, 'p1', 'in-progress'));
    masking.onUpdate(update(call.id, 'p1', 'processing'));
    masking.onUpdate(update(call.id, 'p1', 'succeeded'));
    masking.onUpdate(update(call.id, 'p1', 'succeeded'));
    await new Promise((resolve) => setImmediate(resolve));
    // the last key may still be on its way: the audio comes back only after the delay
    expect(steps).toEqual(['enter sip-1']);
    time.advance(499);
    await new Promise((resolve) => setImmediate(resolve));
    expect(steps).toEqual(['enter sip-1']);
    time.advance(1);
    await masking.settled();
    expect(steps).toEqual(['enter sip-1', 'leave sip-1']);
  });

  it('a payment started within the delay keeps the call muted: no step at all', async () => {
    const { steps, call, masking, time } = setUp();
    masking.onUpdate(update(call.id, 'p1', 'in-progress'));
    masking.onUpdate(update(call.id, 'p1', 'failed'));
    time.advance(200);
    masking.onUpdate(update(call.id, 'p2', 'in-progress'));
    time.advance(1000);
    await masking.settled();
    expect(steps).toEqual(['enter sip-1']);
  });

  it('a clean stop lets every waiting call through at once', async () => {
    const { steps, call, masking } = setUp();
    masking.onUpdate(update(call.id, 'p1', 'in-progress'));
    masking.onUpdate(update(call.id, 'p1', 'cancelled'));
    await masking.settled();
    expect(steps).toEqual(['enter sip-1', 'leave sip-1']);
  });

  it('a second payment on the call mutes it again; an ended call needs nothing', async () => {
    const { steps, call, registry, masking, time } = setUp();
    masking.onUpdate(update(call.id, 'p1', 'in-progress'));
    masking.onUpdate(update(call.id, 'p1', 'failed'));
    time.advance(500);
    masking.onUpdate(update(call.id, 'p2', 'in-progress'));
    registry.ended('sip-1', 'bye');
    masking.onUpdate(update(call.id, 'p2', 'failed'));
    time.advance(500);
    await masking.settled();
    expect(steps).toEqual(['enter sip-1', 'leave sip-1', 'enter sip-1']);
  });

  it('logs a failure with its step and the call id, and goes on', async () => {
    const { call, masking, logs } = setUp(true);
    masking.onUpdate(update(call.id, 'p1', 'in-progress'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(logs.text()).toContain("the customer's audio could not be muted");
    expect(logs.text()).toContain(call.id);
  });

  it('runs the steps of one call in order, even when muting is slow', async () => {
    const { steps, call, masking } = setUp(false, 30);
    masking.onUpdate(update(call.id, 'p1', 'in-progress'));
    masking.onUpdate(update(call.id, 'p1', 'cancelled'));
    await masking.settled();
    expect(steps).toEqual(['enter sip-1', 'leave sip-1']);
  });

  it('lets the audio through on a call found again by a resync (a stopped run may have left it muted)', async () => {
    const { steps, registry, masking } = setUp();
    registry.reconcile([answeredEvent('sip-1'), answeredEvent('sip-2')]);
    await masking.settled();
    // sip-1 was known (answered before): nothing; sip-2 came back through the resync
    expect(steps).toEqual(['leave sip-2']);
  });

  it('lets through a call that ended mid-capture (as a resync saw it) and came back', async () => {
    const { steps, call, registry, masking } = setUp();
    masking.onUpdate(update(call.id, 'p1', 'in-progress'));
    registry.reconcile([]);
    registry.reconcile([answeredEvent('sip-1')]);
    await masking.settled();
    // the call was gone and came back: no capture holds it any more, so it is let through
    expect(steps).toEqual(['enter sip-1', 'leave sip-1']);
  });
});

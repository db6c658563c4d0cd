import { describe, expect, it } from 'vitest';
import { CallRegistry } from '../../../src/application/calls/call-registry.js';
import { CaptureMasking, type CaptureMaskingPort } from '../../../src/application/media/capture-masking.js';
import type { PaymentUpdate } from '../../../src/application/payments/payment-ports.js';
import { answeredEvent } from '../../support/call-fixtures.js';
import { captureLogs } from '../../support/log-capture.js';

function update(callId: string, paymentId: string, status: string): PaymentUpdate {
  return {
    view: { id: paymentId, callId, status } as PaymentUpdate['view'],
    sequence: 1,
    at: '',
    progress: false,
  };
}

function setUp(fail = false) {
  const steps: string[] = [];
  const port: CaptureMaskingPort = {
    enter: async (call) => {
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
  const masking = new CaptureMasking({ port, registry, logger: logs.logger });
  return { steps, call, registry, masking, logs };
}

describe('CaptureMasking', () => {
  it('raises the protection once when a payment starts and lowers it once when it ends', async () => {
    const { steps, call, masking } = setUp();
    masking.onUpdate(update(call.id, 'p1', 'in-progress'));
    masking.onUpdate(update(call.id, 'p1', 'in-progress'));
    masking.onUpdate(update(call.id, 'p1', 'processing'));
    masking.onUpdate(update(call.id, 'p1', 'succeeded'));
    masking.onUpdate(update(call.id, 'p1', 'succeeded'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(steps).toEqual(['enter sip-1', 'leave sip-1']);
  });

  it('a second payment on the call raises it again; an ended call needs no lowering', async () => {
    const { steps, call, registry, masking } = setUp();
    masking.onUpdate(update(call.id, 'p1', 'in-progress'));
    masking.onUpdate(update(call.id, 'p1', 'failed'));
    masking.onUpdate(update(call.id, 'p2', 'in-progress'));
    registry.ended('sip-1', 'bye');
    masking.onUpdate(update(call.id, 'p2', 'failed'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(steps).toEqual(['enter sip-1', 'leave sip-1', 'enter sip-1']);
  });

  it('logs a failure with its step and the call id, and goes on', async () => {
    const { call, masking, logs } = setUp(true);
    masking.onUpdate(update(call.id, 'p1', 'in-progress'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(logs.text()).toContain('capture protection could not be raised');
    expect(logs.text()).toContain(call.id);
  });
});

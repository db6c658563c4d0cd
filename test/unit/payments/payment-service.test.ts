import { describe, expect, it } from 'vitest';
import { CallRegistry } from '../../../src/application/calls/call-registry.js';
import type { PaymentUpdate } from '../../../src/application/payments/payment-ports.js';
import {
  type AdmissionRefusal,
  type PaymentRequest,
  PaymentService,
} from '../../../src/application/payments/payment-service.js';
import type { PromptId } from '../../../src/domain/capture/capture-commands.js';
import type { KeypadKey } from '../../../src/domain/capture/keypad.js';
import { GatewayError } from '../../../src/errors.js';
import { answeredEvent } from '../../support/call-fixtures.js';
import { FakeTime } from '../../support/fake-time.js';
import { captureLogs } from '../../support/log-capture.js';
import { ScriptedConnector } from '../../support/scripted-connector.js';

const CARD = '4242424242424242';

const answered = (callId: string) =>
  answeredEvent(callId, {
    fromTag: 'cust',
    toTag: 'agent',
    customerTag: 'cust',
    agentTag: 'agent',
    ts: 1_795_400_000,
  });

function setUp(admission?: () => AdmissionRefusal | undefined, options: { timersEarlyMs?: number } = {}) {
  const time = new FakeTime();
  const early = options.timersEarlyMs ?? 0;
  // timers that fire `early` ms before the clock reaches their time, as Node's can by the wall clock
  const timers = {
    sleep: (ms: number) => time.sleep(ms),
    set: (delayMs: number, fire: () => void) => time.set(delayMs > early ? delayMs - early : delayMs, fire),
  };
  const registry = new CallRegistry();
  const connector = new ScriptedConnector();
  const prompts: PromptId[] = [];
  const languages: Array<string | undefined> = [];
  const readBacks: Array<{ chargeAmount: string; currency: string; language: string | undefined }> = [];
  const logs = captureLogs();
  const service = new PaymentService({
    registry,
    connector,
    prompts: {
      play: async (_call, prompt, language) => {
        prompts.push(prompt);
        languages.push(language);
      },
      readBack: async (_call, amount, language) => {
        readBacks.push({ ...amount, language });
      },
    },
    clock: time,
    timers: early === 0 ? time : timers,
    logger: logs.logger,
    ...(admission ? { admission } : {}),
  });
  const call = registry.answered(answered('sip-1'));
  const updates: PaymentUpdate[] = [];
  service.onUpdate((update) => updates.push(update));
  const key = (keys: string) => {
    for (const k of keys) service.onCustomerKey(call, k as KeypadKey);
  };
  return { time, registry, connector, prompts, languages, readBacks, logs, service, call, updates, key };
}

const request = (overrides: Partial<PaymentRequest> = {}): PaymentRequest => ({
  idempotencyKey: 'order-1',
  tokenType: 'one-time',
  chargeAmount: '10.00',
  currency: 'gbp',
  settings: {},
  ...overrides,
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PaymentService', () => {
  it('captures a card keyed by the customer and tokenises it once, with a stable idempotency key', async () => {
    const t = setUp();
    const { view, created } = t.service.create(t.call.id, request());
    expect(created).toBe(true);
    expect(view.capture).toBe('payment-card-number');
    t.key(`${CARD}#1230123`);
    expect(t.service.get(view.id).status).toBe('processing');
    await settle();
    const done = t.service.get(view.id);
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ outcome: 'success', token: 'tok_1', last4: '4242', brand: 'visa' });
    expect(t.connector.requests).toEqual([
      expect.objectContaining({
        // derived from the caller's key on the call: the same across retries and restarts
        idempotencyKey: expect.stringMatching(/^tw1_[A-Za-z0-9_-]{43}$/),
        chargeAmount: '10.00',
        cardLength: 16,
      }),
    ]);
    expect(t.prompts).toContain('ask-payment-card-number');
    expect(t.prompts.at(-1)).toBe('payment-succeeded');
    expect(t.service.activeCount).toBe(0);
    expect(t.time.pending).toBe(0);
  });

  it('never lets a keyed number reach a log line or an update', async () => {
    const t = setUp();
    const { view } = t.service.create(t.call.id, request());
    t.key(`${CARD}#1230123`);
    await settle();
    expect(t.service.get(view.id).status).toBe('succeeded');
    const everything = `${t.logs.text()}\n${JSON.stringify(t.updates)}`;
    expect(everything).not.toContain(CARD);
    expect(everything).not.toMatch(/\d{13,19}/);
  });

  it('replays an idempotent create and refuses the same key with another body', () => {
    const t = setUp();
    const first = t.service.create(t.call.id, request());
    const again = t.service.create(t.call.id, request());
    expect(again).toEqual({ view: first.view, created: false });
    expect(() => t.service.create(t.call.id, request({ chargeAmount: '11.00' }))).toThrow(
      expect.objectContaining({ code: 'GW_ERR_IDEMPOTENCY_CONFLICT' }),
    );
  });

  it('allows one active payment per call (409) and refuses unknown calls (404)', () => {
    const t = setUp();
    t.service.create(t.call.id, request());
    expect(() => t.service.create(t.call.id, request({ idempotencyKey: 'order-2' }))).toThrow(
      expect.objectContaining({ code: 'GW_ERR_PAYMENT_ACTIVE' }),
    );
    expect(() => t.service.create('CAnothing', request({ idempotencyKey: 'x' }))).toThrow(
      expect.objectContaining({ code: 'GW_ERR_NOT_FOUND' }),
    );
  });

  it('ends the payment as caller-hung-up when the call ends, zeroing the digits', () => {
    const t = setUp();
    const { view } = t.service.create(t.call.id, request());
    t.key('424242');
    t.registry.ended('sip-1', 'bye');
    const after = t.service.get(view.id);
    expect(after.status).toBe('failed');
    expect(after.result).toEqual({ outcome: 'caller-hung-up' });
    expect(t.connector.requests).toHaveLength(0);
  });

  it('cancels the payment when the call moves to another agent, not when its first agent is named', () => {
    const t = setUp();
    // answered with no agent named (an integration started the payment), then the PBX names one
    t.registry.agentConnected('sip-1', { agent: '', masking: 'on' }, 'sip');
    const { view } = t.service.create(t.call.id, request());
    t.registry.agentConnected('sip-1', { agent: 'agent-1', masking: 'on' }, 'sip');
    expect(t.service.get(view.id).status).toBe('in-progress');
    // a transfer to another agent
    t.registry.agentConnected('sip-1', { agent: 'agent-2', masking: 'on' }, 'sip');
    expect(t.service.get(view.id)).toMatchObject({ status: 'cancelled', result: { outcome: 'cancelled' } });
    expect(t.connector.requests).toHaveLength(0);
  });

  it('times out a silent field and asks again, from the injected clock', () => {
    const t = setUp();
    const { view } = t.service.create(t.call.id, request());
    t.time.advance(15_000);
    expect(t.service.get(view.id).errorType).toBe('input-timeout');
    expect(t.prompts).toEqual(['ask-payment-card-number', 'error-input-timeout', 'ask-payment-card-number']);
  });

  it('takes a timeout whose timer fired a millisecond early by the wall clock, every time', () => {
    const t = setUp(undefined, { timersEarlyMs: 1 });
    const { view } = t.service.create(
      t.call.id,
      request({ settings: { interDigitTimeoutMs: 1000, maxAttempts: 2 } }),
    );
    t.key('4');
    t.time.advance(1000);
    expect(t.service.get(view.id).errorType).toBe('input-timeout');
    t.key('2');
    t.time.advance(1000);
    expect(t.service.get(view.id)).toMatchObject({
      status: 'failed',
      errorType: 'too-many-failed-attempts',
      result: { outcome: 'too-many-failed-attempts' },
    });
    expect(t.time.pending).toBe(0);
  });

  it('turns a decline into a failed payment with the decline code, and allows a new payment', async () => {
    const t = setUp();
    t.connector.answer = async () => ({
      outcome: 'declined',
      declineCode: 'insufficient_funds',
      reason: 'x',
    });
    const { view } = t.service.create(t.call.id, request());
    t.key('4000000000009995#1230123');
    await settle();
    expect(t.service.get(view.id)).toMatchObject({
      status: 'failed',
      result: { outcome: 'declined', declineCode: 'insufficient_funds' },
    });
    expect(t.service.create(t.call.id, request({ idempotencyKey: 'order-2' })).created).toBe(true);
  });

  it('maps each connector failure to a failure only when no charge can have been made, else to unknown', async () => {
    const down = new GatewayError('GW_ERR_PROCESSOR_UNAVAILABLE', 'down', { retryable: true });
    const notSent = new GatewayError('GW_ERR_PROCESSOR_UNAVAILABLE', 'refused', { notSent: true });
    const refused = new GatewayError('GW_ERR_PROCESSOR_REJECTED', 'HTTP 400');
    const timeout = new GatewayError('GW_ERR_PROCESSOR_TIMEOUT', 'late', { retryable: true });
    for (const [error, charge, status, outcome] of [
      [notSent, true, 'failed', 'payment-connector-error'],
      [refused, true, 'failed', 'payment-connector-error'],
      [down, true, 'unknown', 'unknown'],
      [timeout, true, 'unknown', 'unknown'],
      [new TypeError('bug'), true, 'unknown', 'unknown'],
      [down, false, 'failed', 'payment-connector-error'],
      [new TypeError('bug'), false, 'failed', 'internal-error'],
    ] as const) {
      const t = setUp();
      t.connector.answer = () => Promise.reject(error);
      const asked = charge ? request() : request({ chargeAmount: undefined, currency: undefined });
      const { view } = t.service.create(t.call.id, asked);
      t.key(`${CARD}#1230123`);
      await settle();
      const after = t.service.get(view.id);
      expect([error.message, charge, after.status, after.result]).toEqual([
        error.message,
        charge,
        status,
        { outcome },
      ]);
    }
  });

  it('lets the agent ask again, complete and cancel, refusing what the payment cannot do (409)', () => {
    const t = setUp();
    const { view } = t.service.create(t.call.id, request({ settings: { captureMode: 'agent' } }));
    expect(() => t.service.complete(view.id)).toThrow(
      expect.objectContaining({ code: 'GW_ERR_PAYMENT_STATE' }),
    );
    expect(t.service.captureField(view.id, 'payment-card-number').capture).toBe('payment-card-number');
    expect(() => t.service.captureField(view.id, 'postal-code')).toThrow(
      expect.objectContaining({ code: 'GW_ERR_PAYMENT_STATE' }),
    );
    expect(t.service.cancel(view.id).status).toBe('cancelled');
    expect(() => t.service.cancel(view.id)).toThrow(
      expect.objectContaining({ code: 'GW_ERR_PAYMENT_STATE' }),
    );
  });

  it('sends each subscriber every update in order, numbered', () => {
    const t = setUp();
    const { view } = t.service.create(t.call.id, request());
    const seen: number[] = [];
    const stop = t.service.subscribe(view.id, (update) => seen.push(update.sequence));
    t.key('42');
    stop();
    t.key('4');
    expect(seen).toEqual([2, 3]);
  });

  it('on stop: capturing payments end as internal-error, tokenisations in flight finish, nothing new starts', async () => {
    const t = setUp();
    const other = t.registry.answered({ ...answered('sip-2'), customerTag: 'c2', fromTag: 'c2' });
    let release: () => void = () => {};
    t.connector.answer = (r) =>
      new Promise((resolve) => {
        release = () => resolve({ outcome: 'success', token: 'tok_2', last4: r.card.number.slice(-4) });
      });
    const processing = t.service.create(t.call.id, request());
    t.key(`${CARD}#1230123`);
    const capturing = t.service.create(other.id, request({ idempotencyKey: 'o2' }));
    const stopped = t.service.stop();
    expect(t.service.get(capturing.view.id).result).toEqual({ outcome: 'internal-error' });
    expect(() => t.service.create(other.id, request({ idempotencyKey: 'o3' }))).toThrow(
      expect.objectContaining({ code: 'GW_ERR_STOPPING' }),
    );
    release();
    await stopped;
    expect(t.service.get(processing.view.id).status).toBe('succeeded');
  });

  it.each([
    ['the audit log cannot be written', 'GW_ERR_AUDIT_WRITE'],
    ['DTMF reports can no longer be received', 'GW_ERR_DTMF_SOCKET'],
  ] as const)('starts no payment while %s (%s), and starts again once it can', (_, code) => {
    let refusal: AdmissionRefusal | undefined = code;
    const t = setUp(() => refusal);
    expect(() => t.service.create(t.call.id, request())).toThrow(expect.objectContaining({ code }));
    refusal = undefined;
    expect(t.service.create(t.call.id, request()).created).toBe(true);
  });

  it('plays every prompt in the payment’s language; none named: the player’s default (undefined)', async () => {
    const spanish = setUp();
    spanish.service.create(spanish.call.id, request({ language: 'es-ES' }));
    spanish.key(`${CARD}#`);
    expect(spanish.prompts).toEqual(['ask-payment-card-number', 'ask-expiration-date']);
    expect(spanish.languages).toEqual(['es-ES', 'es-ES']);
    const unnamed = setUp();
    unnamed.service.create(unnamed.call.id, request());
    expect(unnamed.languages).toEqual([undefined]);
  });

  it('readBack: says the charge in the payment’s language, charges only after #; * cancels', async () => {
    const t = setUp();
    const { view } = t.service.create(t.call.id, request({ readBack: true, language: 'cy-GB' }));
    t.key(`${CARD}#1230123`);
    expect(t.readBacks).toEqual([{ chargeAmount: '10.00', currency: 'gbp', language: 'cy-GB' }]);
    expect(t.connector.requests).toEqual([]);
    expect(t.service.get(view.id)).toMatchObject({ status: 'in-progress', readBack: 'awaiting' });
    t.key('#');
    expect(t.service.get(view.id).status).toBe('processing');
    await settle();
    expect(t.connector.requests).toHaveLength(1);
    expect(t.service.get(view.id)).toMatchObject({ status: 'succeeded', readBack: 'confirmed' });
    expect(t.logs.text()).toContain('amount read back');

    const cancelled = setUp();
    const second = cancelled.service.create(cancelled.call.id, request({ readBack: true }));
    cancelled.key(`${CARD}#1230123*`);
    expect(cancelled.connector.requests).toEqual([]);
    expect(cancelled.service.get(second.view.id)).toMatchObject({ status: 'cancelled' });
    // a token without a charge reads nothing back
    const token = setUp();
    token.service.create(
      token.call.id,
      request({ readBack: true, chargeAmount: undefined, currency: undefined }),
    );
    token.key(`${CARD}#1230123`);
    expect(token.readBacks).toEqual([]);
  });

  it('marks an update that only adds a digit as progress, and every change of state as not', () => {
    const t = setUp();
    t.service.create(t.call.id, request());
    t.key(`${CARD}#`);
    const kinds = t.updates.map((update) => (update.progress ? 'digit' : 'change'));
    // started; 4 (a digit: 4 alone may be visa, elo, naranja or maestro); 2 (brand visa); 14 digits;
    // # (captured, valid, next field)
    expect(kinds).toEqual(['change', 'digit', 'change', ...Array(14).fill('digit'), 'change']);
  });

  it('refuses a payment on a call whose tones are not masked', () => {
    const t = setUp();
    const unmasked = t.registry.answered({ ...answered('sip-3'), masking: 'off' });
    expect(() => t.service.create(unmasked.id, request())).toThrow(
      expect.objectContaining({ code: 'GW_ERR_MASKING_OFF' }),
    );
  });

  it.each([
    ['an amount without a currency', { currency: undefined }, 'GW_ERR_INVALID_BODY'],
    [
      'an amount finer than the currency',
      { chargeAmount: '10.005', currency: 'usd' },
      'GW_ERR_INVALID_AMOUNT',
    ],
    ['yen with decimals', { chargeAmount: '10.5', currency: 'jpy' }, 'GW_ERR_INVALID_AMOUNT'],
    ['a card number in the description', { description: 'card 4242 4242 4242 4242' }, 'GW_ERR_INVALID_BODY'],
    ['a card number as idempotency key', { idempotencyKey: 'order-4242424242424242' }, 'GW_ERR_INVALID_BODY'],
  ] as const)('refuses %s before the customer keys anything', (_name, overrides, code) => {
    const t = setUp();
    let message = '';
    try {
      t.service.create(t.call.id, request(overrides as Partial<PaymentRequest>));
    } catch (error) {
      expect(error).toMatchObject({ code });
      message = (error as Error).message;
    }
    expect(message).not.toMatch(/4242/);
    expect(t.service.activeCount).toBe(0);
  });

  it('accepts UUIDs, order numbers and timestamps as idempotency keys and descriptions', () => {
    const t = setUp();
    for (const [i, text] of [
      '123e4567-e89b-12d3-a456-426614174000',
      'order 20261123-0001',
      '1795421943000',
    ].entries()) {
      const call = t.registry.answered({
        ...answered(`sip-ok-${i}`),
        customerTag: `c${i}`,
        fromTag: `c${i}`,
      });
      expect(t.service.create(call.id, request({ idempotencyKey: text, description: text })).created).toBe(
        true,
      );
    }
  });

  it('a token for another card: a charge is unknown (the processor says it charged), a tokenisation fails', async () => {
    const t = setUp();
    t.connector.answer = async () => ({ outcome: 'success', token: 'tok_x', last4: '0000' });
    const { view } = t.service.create(t.call.id, request());
    t.key(`${CARD}#1230123`);
    await settle();
    // never "failed, no money was taken" for a charge the processor answered as made
    expect(t.service.get(view.id)).toMatchObject({ status: 'unknown', result: { outcome: 'unknown' } });
    expect(() => t.service.create(t.call.id, request({ idempotencyKey: 'order-2' }))).toThrow(
      expect.objectContaining({ code: 'GW_ERR_PAYMENT_ACTIVE' }),
    );
    t.service.reconcile(view.id, { outcome: 'success', token: 'tok_x', confirmationCode: 'CH1' });
    const tokenOnly = t.service.create(
      t.call.id,
      request({ idempotencyKey: 'order-3', chargeAmount: undefined, currency: undefined }),
    ).view;
    t.key(`${CARD}#1230123`);
    await settle();
    expect(t.service.get(tokenOnly.id).result).toEqual({ outcome: 'internal-error' });
  });

  it('keeps going when an update listener throws', async () => {
    const t = setUp();
    t.service.onUpdate(() => {
      throw new Error('subscriber gone');
    });
    const { view } = t.service.create(t.call.id, request());
    t.key(`${CARD}#1230123`);
    await settle();
    expect(t.service.get(view.id).status).toBe('succeeded');
    expect(t.service.activeCount).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { startCapture, transition } from '../../../src/domain/capture/capture-machine.js';
import type { CaptureSettings } from '../../../src/domain/capture/capture-settings.js';
import type { CaptureField } from '../../../src/domain/capture/capture-types.js';
import { allWiped, commandTypes, type Driver, FakeClock, prompts, startDriver } from './support.js';

const VISA = '4111111111111111';
const AMEX = '378282246310005';
const MASTERCARD = '5555555555554444';

/** A driver in auto mode with the card number already accepted. */
function afterCardNumber(settings: CaptureSettings = {}): Driver {
  const d = startDriver(settings);
  d.press(`${VISA}#`);
  return d;
}

describe('starting', () => {
  it('auto mode asks for the card number and arms the first-digit timer', () => {
    const clock = new FakeClock();
    const { state, commands } = startCapture({ id: 'pay-1', callId: 'call-1', now: clock.now() });
    expect(state.status).toBe('in-progress');
    expect(state.capture).toBe('payment-card-number');
    expect(state.deadline).toBe(clock.now() + 15_000);
    expect(commands).toEqual([
      { type: 'play-prompt', prompt: 'ask-payment-card-number' },
      { type: 'schedule-timeout', at: clock.now() + 15_000 },
      { type: 'notify' },
    ]);
  });

  it('agent mode waits for the agent', () => {
    const { state, commands } = startCapture({
      id: 'p',
      callId: 'c',
      settings: { captureMode: 'agent' },
      now: 0,
    });
    expect(state.capture).toBeNull();
    expect(state.deadline).toBe(600_000);
    expect(commands).toEqual([{ type: 'schedule-timeout', at: 600_000 }, { type: 'notify' }]);
  });

  it.each<[CaptureSettings, CaptureField[]]>([
    [{}, ['payment-card-number', 'expiration-date', 'security-code']],
    [{ securityCode: false }, ['payment-card-number', 'expiration-date']],
    [{ postalCode: true }, ['payment-card-number', 'expiration-date', 'security-code', 'postal-code']],
    [{ securityCode: false, postalCode: true }, ['payment-card-number', 'expiration-date', 'postal-code']],
  ])('settings %j ask for %j', (settings, fields) => {
    expect(Object.keys(startDriver(settings).state.fields)).toEqual(fields);
  });
});

describe('keys', () => {
  it('a digit fills the current field, re-arms the inter-digit timer and notifies', () => {
    const d = startDriver();
    const { commands } = d.press('4');
    expect(d.field('payment-card-number').count).toBe(1);
    // 4 alone is visa, elo, naranja or maestro (card-brand.ts): no brand yet
    expect(d.field('payment-card-number').brand).toBeUndefined();
    expect(d.state.deadline).toBe(d.clock.now() + 5_000);
    expect(commands).toEqual([{ type: 'schedule-timeout', at: d.clock.now() + 5_000 }, { type: 'notify' }]);
  });

  it('the brand shows once the digits decide it', () => {
    const d = startDriver();
    d.press('6');
    expect(d.field('payment-card-number').brand).toBeUndefined();
    d.press('2');
    expect(d.field('payment-card-number').brand).toBeUndefined();
    d.press('1');
    expect(d.field('payment-card-number').brand).toBeUndefined(); // 62183 is maestro
    d.press('0');
    expect(d.field('payment-card-number').brand).toBe('unionpay');
  });

  it('# submits a valid card number and moves on to the expiry date', () => {
    const d = afterCardNumber();
    expect(d.field('payment-card-number')).toMatchObject({ status: 'captured', valid: true, count: 16 });
    expect(d.state.card).toEqual({ brand: 'visa', last4: '1111' });
    expect(d.state.capture).toBe('expiration-date');
    expect(prompts(d.last.commands)).toEqual(['ask-expiration-date']);
  });

  it.each([
    ['amex, 15 digits', AMEX, 'amex'],
    ['mastercard, 16 digits', MASTERCARD, 'mastercard'],
  ])('a card number submits itself at its brand’s longest length: %s', (_case, number, brand) => {
    const d = startDriver();
    d.press(number);
    expect(d.state.capture).toBe('expiration-date');
    expect(d.state.card.brand).toBe(brand);
  });

  it('a 16-digit visa waits for # (visa may have 19)', () => {
    const d = startDriver();
    d.press(VISA);
    expect(d.state.capture).toBe('payment-card-number');
    expect(d.field('payment-card-number').status).toBe('capturing');
  });

  it('* clears the field, zeroes it and asks again without counting an attempt', () => {
    const d = startDriver();
    d.press('41111');
    const { commands } = d.press('*');
    const pan = d.field('payment-card-number');
    expect(pan.count).toBe(0);
    expect(pan.brand).toBeUndefined();
    expect(pan.failedAttempts).toBe(0);
    expect(pan.digits.isWiped()).toBe(true);
    expect(d.state.deadline).toBe(d.clock.now() + 15_000);
    expect(commandTypes(commands)).toEqual(['play-prompt', 'schedule-timeout', 'notify']);
  });

  it.each(['A', 'B', 'C', 'D'])('%s is ignored', (key) => {
    const d = startDriver();
    d.press('4');
    const before = d.state;
    expect(d.press(key).commands).toEqual([]);
    expect(d.state).toBe(before);
  });

  it('the expiry date submits itself at 4 digits and the visa security code at 3', () => {
    const d = afterCardNumber();
    d.press('1230');
    expect(d.state.card).toMatchObject({ expMonth: 12, expYear: 2030 });
    expect(d.state.capture).toBe('security-code');
    d.press('123');
    expect(d.state.status).toBe('processing');
    expect(d.state.capture).toBeNull();
    expect(d.state.deadline).toBeNull();
    expect(d.last.commands).toEqual([
      { type: 'clear-timeout' },
      { type: 'play-prompt', prompt: 'payment-processing' },
      { type: 'tokenise' },
      { type: 'notify' },
    ]);
  });

  it('an amex security code takes 4 digits', () => {
    const d = startDriver();
    d.press(`${AMEX}1230123`);
    expect(d.state.capture).toBe('security-code');
    d.press('4');
    expect(d.state.status).toBe('processing');
  });

  it('postal code: submits itself at its longest length, or on # within bounds', () => {
    const d = afterCardNumber({
      securityCode: false,
      postalCode: true,
      postalCodeLength: { min: 3, max: 6 },
    });
    d.press('1230');
    expect(d.state.capture).toBe('postal-code');
    d.press('123#');
    expect(d.state.status).toBe('processing');
    const full = afterCardNumber({
      securityCode: false,
      postalCode: true,
      postalCodeLength: { min: 3, max: 6 },
    });
    full.press('1230123456');
    expect(full.state.status).toBe('processing');
  });
});

describe('rejected fields', () => {
  it.each<[string, CaptureSettings, string, CaptureField, string]>([
    ['Luhn failure', {}, '4111111111111112#', 'payment-card-number', 'invalid-card-number'],
    ['too short', {}, '4111#', 'payment-card-number', 'invalid-card-number'],
    ['nothing keyed', {}, '#', 'payment-card-number', 'invalid-card-number'],
    ['no brand', {}, '9111111111111111#', 'payment-card-number', 'invalid-card-type'],
    [
      'brand not accepted',
      { validCardTypes: ['visa'] },
      `${MASTERCARD}`,
      'payment-card-number',
      'invalid-card-type',
    ],
    ['month 13', {}, `${VISA}#1330`, 'expiration-date', 'invalid-date'],
    ['expired', {}, `${VISA}#0125`, 'expiration-date', 'invalid-date'],
    ['short expiry', {}, `${VISA}#123#`, 'expiration-date', 'invalid-date'],
    ['2-digit code', {}, `${VISA}#123012#`, 'security-code', 'invalid-security-code'],
    ['3-digit amex code', {}, `${AMEX}1230123#`, 'security-code', 'invalid-security-code'],
    [
      'short postal code',
      { securityCode: false, postalCode: true },
      `${VISA}#12301234#`,
      'postal-code',
      'invalid-postal-code',
    ],
  ])('%s', (_case, settings, keys, field, errorType) => {
    const d = startDriver(settings);
    d.press(keys);
    const capture = d.field(field);
    expect(d.state.errorType).toBe(errorType);
    expect(d.state.capture).toBe(field);
    expect(capture).toMatchObject({ status: 'capturing', valid: false, failedAttempts: 1, count: 0 });
    expect(capture.digits.isWiped()).toBe(true);
    expect(prompts(d.last.commands).slice(-2)).toEqual([`error-${errorType}`, `ask-${field}`]);
  });

  it('a later valid submission clears the error type', () => {
    const d = startDriver();
    d.press('4111111111111112#');
    expect(d.state.errorType).toBe('invalid-card-number');
    d.press(`${VISA}#`);
    expect(d.state.errorType).toBeUndefined();
    expect(d.field('payment-card-number').valid).toBe(true);
  });

  it.each([1, 2, 3])('maxAttempts %i: that many failures end the payment', (maxAttempts) => {
    const d = startDriver({ maxAttempts });
    for (let attempt = 1; attempt < maxAttempts; attempt += 1) {
      d.press('4111111111111112#');
      expect(d.state.status).toBe('in-progress');
    }
    d.press('4111111111111112#');
    expect(d.state.status).toBe('failed');
    expect(d.state.errorType).toBe('too-many-failed-attempts');
    expect(d.state.result).toEqual({ outcome: 'too-many-failed-attempts' });
    expect(d.state.capture).toBeNull();
    expect(allWiped(d.state)).toBe(true);
    expect(d.last.commands).toEqual([
      { type: 'clear-timeout' },
      { type: 'play-prompt', prompt: 'error-too-many-failed-attempts' },
      { type: 'notify' },
    ]);
  });

  it('attempts count per field', () => {
    const d = startDriver();
    d.press('4111111111111112#4111111111111112#');
    d.press(`${VISA}#`);
    d.press('1330');
    d.press('1330');
    expect(d.state.status).toBe('in-progress');
    expect(d.field('payment-card-number').failedAttempts).toBe(2);
    expect(d.field('expiration-date').failedAttempts).toBe(2);
  });
});

describe('timeouts', () => {
  it('no first digit within 15 s: input-timeout, asked again, an attempt counted', () => {
    const d = startDriver();
    expect(d.wait(14_999).commands).toEqual([]);
    const { commands } = d.wait(1);
    expect(d.state.errorType).toBe('input-timeout');
    expect(d.field('payment-card-number').failedAttempts).toBe(1);
    expect(d.state.deadline).toBe(d.clock.now() + 15_000);
    expect(commands).toEqual([
      { type: 'play-prompt', prompt: 'error-input-timeout' },
      { type: 'play-prompt', prompt: 'ask-payment-card-number' },
      { type: 'schedule-timeout', at: d.clock.now() + 15_000 },
      { type: 'notify' },
    ]);
  });

  it('no next digit within 5 s: the partial field is zeroed and asked again', () => {
    const d = startDriver();
    d.press('411111');
    expect(d.wait(4_999).commands).toEqual([]);
    d.wait(1);
    expect(d.state.errorType).toBe('input-timeout');
    expect(d.field('payment-card-number').digits.isWiped()).toBe(true);
  });

  it('honours configured timeouts', () => {
    const d = startDriver({ firstDigitTimeoutMs: 2_000, interDigitTimeoutMs: 1_000 });
    expect(d.state.deadline).toBe(d.clock.now() + 2_000);
    d.press('4');
    expect(d.state.deadline).toBe(d.clock.now() + 1_000);
  });

  it('a timer from before the last digit is stale and ignored', () => {
    const d = startDriver();
    d.press('4', 14_000);
    const before = d.state;
    expect(d.send({ type: 'timeout', now: d.clock.now() + 1_000 }).commands).toEqual([]);
    expect(d.state).toBe(before);
  });

  it('timeouts alone exhaust the attempts', () => {
    const d = startDriver();
    d.wait(15_000);
    d.wait(15_000);
    d.wait(15_000);
    expect(d.state.status).toBe('failed');
    expect(d.state.result).toEqual({ outcome: 'too-many-failed-attempts' });
  });

  it('a key after the deadline is taken after the timeout it missed', () => {
    const d = startDriver();
    d.press('41');
    const { commands } = d.press('5', 6_000);
    expect(prompts(commands)).toEqual(['error-input-timeout', 'ask-payment-card-number']);
    expect(d.field('payment-card-number').count).toBe(1);
    expect(d.field('payment-card-number').failedAttempts).toBe(1);
  });

  it('between fields in agent mode only the capture’s lifetime runs; then the payment ends, zeroed', () => {
    const d = startDriver({ captureMode: 'agent', maxDurationMs: 120_000 });
    d.send({ type: 'capture', field: 'payment-card-number', now: d.clock.now() });
    d.press(`${VISA}#`);
    expect(d.state.deadline).toBe(d.state.expiresAt);
    expect(d.wait(60_000).commands).toEqual([]);
    expect(d.state.status).toBe('in-progress');
    d.wait(60_000);
    expect(d.state).toMatchObject({
      status: 'failed',
      errorType: 'input-timeout',
      result: { outcome: 'cancelled' },
    });
    expect(allWiped(d.state)).toBe(true);
  });

  it('clearing with * again and again cannot keep digits past the capture’s lifetime', () => {
    const d = startDriver({ maxDurationMs: 30_000 });
    for (let i = 0; i < 20; i += 1) d.press('4242*', 2_000);
    expect(d.state.status).toBe('failed');
    expect(d.state.result).toEqual({ outcome: 'cancelled' });
    expect(allWiped(d.state)).toBe(true);
  });
});

describe('keys that go nowhere', () => {
  it('agent mode before a field is asked for: digits are not stored', () => {
    const d = startDriver({ captureMode: 'agent' });
    const before = d.state;
    expect(d.press('4111#*').commands).toEqual([]);
    expect(d.state).toBe(before);
    expect(allWiped(d.state)).toBe(true);
  });

  it('processing: digits are not stored', () => {
    const d = afterCardNumber({ securityCode: false });
    d.press('1230');
    expect(d.state.status).toBe('processing');
    const counts = Object.values(d.state.fields).map((field) => field.digits.length);
    expect(d.press('9999').commands).toEqual([]);
    expect(Object.values(d.state.fields).map((field) => field.digits.length)).toEqual(counts);
  });

  it('after the end: digits are not stored', () => {
    const d = startDriver();
    d.send({ type: 'cancel', now: d.clock.now() });
    expect(d.press('41111').commands).toEqual([]);
    expect(allWiped(d.state)).toBe(true);
  });
});

describe('the agent', () => {
  it('picks the fields and completes in agent mode', () => {
    const d = startDriver({ captureMode: 'agent', securityCode: false });
    const asked = d.send({ type: 'capture', field: 'expiration-date', now: d.clock.now() });
    expect(prompts(asked.commands)).toEqual(['ask-expiration-date']);
    d.press('1230');
    expect(d.state.capture).toBeNull();
    expect(d.last.commands).toEqual([
      { type: 'schedule-timeout', at: d.state.expiresAt },
      { type: 'notify' },
    ]);
    expect(d.send({ type: 'complete', now: d.clock.now() }).rejected).toBe('fields-incomplete');
    d.send({ type: 'capture', field: 'payment-card-number', now: d.clock.now() });
    d.press(`${VISA}#`);
    const done = d.send({ type: 'complete', now: d.clock.now() });
    expect(done.rejected).toBeUndefined();
    expect(d.state.status).toBe('processing');
    expect(commandTypes(done.commands)).toContain('tokenise');
  });

  it('may not ask for a field the payment does not request', () => {
    const d = startDriver();
    const before = d.state;
    const refused = d.send({ type: 'capture', field: 'postal-code', now: d.clock.now() });
    expect(refused).toEqual({ state: before, commands: [], rejected: 'field-not-requested' });
  });

  it('may ask for a captured field again: it is zeroed and its card facts forgotten', () => {
    const d = afterCardNumber();
    d.press('12');
    d.send({ type: 'capture', field: 'payment-card-number', now: d.clock.now() });
    const pan = d.field('payment-card-number');
    expect(pan).toMatchObject({ status: 'capturing', count: 0 });
    expect(pan.valid).toBeUndefined();
    expect(pan.digits.isWiped()).toBe(true);
    expect(d.state.card).toEqual({});
    const expiry = d.field('expiration-date');
    expect(expiry).toMatchObject({ status: 'pending', count: 0 });
    expect(expiry.digits.isWiped()).toBe(true);
    d.press(`${AMEX}`);
    expect(d.state.capture).toBe('expiration-date');
    expect(d.state.card).toEqual({ brand: 'amex', last4: '0005' });
  });

  it('a security code taken before the card number is dropped if it does not fit the brand', () => {
    const d = startDriver({ captureMode: 'agent' });
    d.send({ type: 'capture', field: 'security-code', now: d.clock.now() });
    d.press('1234');
    expect(d.field('security-code')).toMatchObject({ status: 'captured', valid: true });
    d.send({ type: 'capture', field: 'payment-card-number', now: d.clock.now() });
    d.press(`${VISA}#`);
    expect(d.field('security-code')).toMatchObject({ status: 'pending', count: 0 });
    expect(d.field('security-code').digits.isWiped()).toBe(true);
  });

  it('a security code that fits the brand is kept', () => {
    const d = startDriver({ captureMode: 'agent' });
    d.send({ type: 'capture', field: 'security-code', now: d.clock.now() });
    d.press('123#');
    d.send({ type: 'capture', field: 'payment-card-number', now: d.clock.now() });
    d.press(`${VISA}#`);
    expect(d.field('security-code')).toMatchObject({ status: 'captured', valid: true, count: 3 });
  });

  it('may complete early in auto mode once every field is valid, not before', () => {
    const d = afterCardNumber({ securityCode: false });
    expect(d.send({ type: 'complete', now: d.clock.now() }).rejected).toBe('fields-incomplete');
  });

  it.each([
    ['capture', { type: 'capture', field: 'payment-card-number' }],
    ['complete', { type: 'complete' }],
    ['cancel', { type: 'cancel' }],
  ] as const)('%s is refused once the payment is not in progress', (_case, event) => {
    const d = startDriver();
    d.send({ type: 'hang-up', now: d.clock.now() });
    const before = d.state;
    expect(d.send({ ...event, now: d.clock.now() })).toEqual({
      state: before,
      commands: [],
      rejected: 'not-in-progress',
    });
  });

  it('cancels', () => {
    const d = startDriver();
    d.press('411111');
    const { commands } = d.send({ type: 'cancel', now: d.clock.now() });
    expect(d.state.status).toBe('cancelled');
    expect(d.state.result).toEqual({ outcome: 'cancelled' });
    expect(d.state.errorType).toBeUndefined();
    expect(d.field('payment-card-number').status).toBe('pending');
    expect(allWiped(d.state)).toBe(true);
    expect(commands).toEqual([
      { type: 'clear-timeout' },
      { type: 'play-prompt', prompt: 'payment-cancelled' },
      { type: 'notify' },
    ]);
  });
});

describe('the end', () => {
  function processing(): Driver {
    const d = afterCardNumber();
    d.press('1230123');
    expect(d.state.status).toBe('processing');
    return d;
  }

  it('the caller hangs up during capture: failed, caller-hung-up, zeroed', () => {
    const d = afterCardNumber();
    d.press('12');
    const { commands } = d.send({ type: 'hang-up', now: d.clock.now() });
    expect(d.state).toMatchObject({
      status: 'failed',
      errorType: 'caller-hung-up',
      capture: null,
      deadline: null,
    });
    expect(d.state.result).toEqual({ outcome: 'caller-hung-up' });
    expect(allWiped(d.state)).toBe(true);
    expect(commands).toEqual([{ type: 'clear-timeout' }, { type: 'notify' }]);
  });

  it('the caller hangs up while processing: zeroed, and the processor’s result decides', () => {
    const d = processing();
    expect(allWiped(d.state)).toBe(false);
    expect(d.send({ type: 'hang-up', now: d.clock.now() }).commands).toEqual([]);
    expect(d.state.status).toBe('processing');
    expect(allWiped(d.state)).toBe(true);
    d.send({
      type: 'processor-result',
      result: { outcome: 'success', token: 'tok_1', confirmationCode: 'C1' },
      now: d.clock.now(),
    });
    expect(d.state.status).toBe('succeeded');
  });

  it('succeeds with the token and what may be shown of the card', () => {
    const d = processing();
    const { commands } = d.send({
      type: 'processor-result',
      result: { outcome: 'success', token: 'tok_abc', confirmationCode: 'CONF-1' },
      now: d.clock.now(),
    });
    expect(d.state.status).toBe('succeeded');
    expect(d.state.errorType).toBeUndefined();
    expect(d.state.result).toEqual({
      outcome: 'success',
      token: 'tok_abc',
      last4: '1111',
      brand: 'visa',
      expMonth: 12,
      expYear: 2030,
      confirmationCode: 'CONF-1',
    });
    expect(allWiped(d.state)).toBe(true);
    expect(prompts(commands)).toEqual(['payment-succeeded']);
  });

  it.each([
    ['declined', { outcome: 'declined' }, undefined, 'payment-declined'],
    [
      'declined with a code and a reason',
      { outcome: 'declined', declineCode: 'insufficient_funds', reason: 'The card has insufficient funds.' },
      undefined,
      'payment-declined',
    ],
    ['connector error', { outcome: 'payment-connector-error' }, 'payment-connector-error', 'payment-failed'],
  ] as const)('%s: failed', (_case, result, errorType, prompt) => {
    const d = processing();
    const { commands } = d.send({ type: 'processor-result', result, now: d.clock.now() });
    expect(d.state.status).toBe('failed');
    expect(d.state.result).toEqual(result);
    expect(d.state.errorType).toBe(errorType);
    expect(allWiped(d.state)).toBe(true);
    expect(prompts(commands)).toEqual([prompt]);
  });

  it('a processor result outside processing is ignored', () => {
    const d = startDriver();
    const before = d.state;
    d.send({ type: 'processor-result', result: { outcome: 'declined' }, now: d.clock.now() });
    expect(d.state).toBe(before);
  });

  it.each(['in-progress', 'processing'])('an internal error ends a payment that is %s', (status) => {
    const d = status === 'processing' ? processing() : startDriver();
    d.send({ type: 'internal-error', now: d.clock.now() });
    expect(d.state.status).toBe('failed');
    expect(d.state.result).toEqual({ outcome: 'internal-error' });
    expect(allWiped(d.state)).toBe(true);
  });

  it('nothing moves a finished payment', () => {
    const d = startDriver();
    d.send({ type: 'cancel', now: d.clock.now() });
    const before = d.state;
    for (const event of [
      { type: 'hang-up', now: 1 },
      { type: 'timeout', now: Number.MAX_SAFE_INTEGER },
      { type: 'internal-error', now: 1 },
      { type: 'processor-result', result: { outcome: 'declined' }, now: 1 },
    ] as const) {
      expect(transition(before, event)).toEqual({ state: before, commands: [] });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { toAgentView } from '../../../src/domain/capture/agent-view.js';
import { startDriver } from './support.js';

describe('toAgentView', () => {
  it('at the start: the requested fields, nothing keyed', () => {
    expect(toAgentView(startDriver().state)).toEqual({
      id: 'pay-1',
      callId: 'call-1',
      status: 'in-progress',
      capture: 'payment-card-number',
      required: ['payment-card-number', 'expiration-date', 'security-code'],
      fields: {
        'payment-card-number': { state: 'capturing', digits: 0, masked: '' },
        'expiration-date': { state: 'pending', digits: 0, masked: '' },
        'security-code': { state: 'pending', digits: 0, masked: '' },
      },
    });
  });

  it.each([
    ['5', undefined],
    ['4', undefined],
    ['41', 'visa'],
    ['37', 'amex'],
    ['65', undefined],
    ['650052', 'troy'],
    ['2200', 'mir'],
  ])('while keying %s: a count, stars, and the brand once decided (%s)', (keys, brand) => {
    const d = startDriver();
    d.press(keys);
    const field = toAgentView(d.state).fields['payment-card-number'];
    expect(field).toEqual({
      state: 'capturing',
      digits: keys.length,
      masked: '*'.repeat(keys.length),
      ...(brand === undefined ? {} : { brand }),
    });
  });

  it('the last four show only once the card number is valid', () => {
    const d = startDriver();
    d.press('411111111111111');
    expect(toAgentView(d.state).fields['payment-card-number']?.masked).toBe('***************');
    d.press('1#');
    expect(toAgentView(d.state).fields['payment-card-number']).toEqual({
      state: 'captured',
      digits: 16,
      masked: '************1111',
      brand: 'visa',
      valid: true,
    });
    expect(toAgentView(d.state).required).toEqual(['expiration-date', 'security-code']);
  });

  it('an invalid card number shows invalid, no digits and the error type', () => {
    const d = startDriver();
    d.press('4111111111111112#');
    const view = toAgentView(d.state);
    expect(view.fields['payment-card-number']).toEqual({
      state: 'capturing',
      digits: 0,
      masked: '',
      valid: false,
    });
    expect(view.errorType).toBe('invalid-card-number');
  });

  it('the security code shows a count and a verdict, nothing more', () => {
    const d = startDriver({ captureMode: 'agent' });
    d.send({ type: 'capture', field: 'security-code', now: d.clock.now() });
    d.press('98');
    expect(toAgentView(d.state).fields['security-code']).toEqual({
      state: 'capturing',
      digits: 2,
      masked: '**',
    });
    d.press('7#');
    expect(toAgentView(d.state).fields['security-code']).toEqual({
      state: 'captured',
      digits: 3,
      masked: '***',
      valid: true,
    });
  });

  it('after success: the result, and the field lengths as they were', () => {
    const d = startDriver();
    d.press('4111111111111111#1230123');
    d.send({
      type: 'processor-result',
      result: { outcome: 'success', token: 'tok_1', confirmationCode: 'CONF' },
      now: d.clock.now(),
    });
    const view = toAgentView(d.state);
    expect(view.status).toBe('succeeded');
    expect(view.capture).toBeNull();
    expect(view.required).toEqual([]);
    expect(view.fields['payment-card-number']?.masked).toBe('************1111');
    expect(view.fields['security-code']).toEqual({
      state: 'captured',
      digits: 3,
      masked: '***',
      valid: true,
    });
    expect(view.result).toEqual({
      outcome: 'success',
      token: 'tok_1',
      last4: '1111',
      brand: 'visa',
      expMonth: 12,
      expYear: 2030,
      confirmationCode: 'CONF',
    });
  });

  it('is plain data: it survives a JSON round trip unchanged and holds no digit buffer', () => {
    const d = startDriver({ postalCode: true });
    d.press('4111111111111111#12');
    const view = toAgentView(d.state);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});

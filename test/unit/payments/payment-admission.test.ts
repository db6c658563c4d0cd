import { describe, expect, it } from 'vitest';
import { CallRegistry } from '../../../src/application/calls/call-registry.js';
import { type AdmissionCheck, admitPayment } from '../../../src/application/payments/payment-admission.js';
import { GatewayError } from '../../../src/errors.js';
import { answeredEvent } from '../../support/call-fixtures.js';

const registry = new CallRegistry();
const masked = registry.answered(answeredEvent('sip-masked'));
const unmasked = registry.answered({ ...answeredEvent('sip-unmasked'), masking: 'off' });

const refuseChain = () => {
  throw new GatewayError('GW_ERR_OTHER_GATEWAY', 'start it on gateway gw-b');
};

/** Everything wrong at once, so each case shows which reason comes first once the earlier ones are gone. */
const allWrong: AdmissionCheck = {
  stopping: true,
  refusal: () => 'GW_ERR_AUDIT_WRITE',
  call: undefined,
  request: {
    idempotencyKey: 'k',
    tokenType: 'one-time',
    settings: {},
    chargeAmount: '1.00',
    statusCallback: 'x',
  },
  checkCallback: () => {
    throw new Error('callback refused');
  },
  hasActivePayment: () => true,
};
const fine: AdmissionCheck = {
  stopping: false,
  refusal: undefined,
  call: masked,
  request: {
    idempotencyKey: 'k',
    tokenType: 'one-time',
    settings: {},
    statusCallback: 'https://crm.example/cb',
  },
  checkCallback: () => {},
  hasActivePayment: () => false,
};

describe('admitPayment', () => {
  it.each([
    ['stopping', {}, 'GW_ERR_STOPPING'],
    ["the gateway's refusal", { stopping: false }, 'GW_ERR_AUDIT_WRITE'],
    ['no such call', { stopping: false, refusal: undefined }, 'GW_ERR_NOT_FOUND'],
    [
      "another gateway's chain",
      { stopping: false, refusal: undefined, call: unmasked, checkChain: refuseChain },
      'GW_ERR_OTHER_GATEWAY',
    ],
    ['tones not masked', { stopping: false, refusal: undefined, call: unmasked }, 'GW_ERR_MASKING_OFF'],
    [
      'an amount without currency',
      { stopping: false, refusal: undefined, call: masked },
      'GW_ERR_INVALID_BODY',
    ],
  ] as const)('refuses first for %s', (_name, overrides, code) => {
    expect(() => admitPayment({ ...allWrong, ...overrides })).toThrow(expect.objectContaining({ code }));
  });

  it('asks the callback policy, then refuses a second payment on the call', () => {
    const asked: string[] = [];
    const check = { ...fine, checkCallback: (url: string) => void asked.push(url) };
    expect(admitPayment(check)).toBe(masked);
    expect(asked).toEqual(['https://crm.example/cb']);
    expect(() => admitPayment({ ...fine, checkCallback: allWrong.checkCallback })).toThrow(
      'callback refused',
    );
    expect(() => admitPayment({ ...fine, hasActivePayment: (id) => id === masked.id })).toThrow(
      expect.objectContaining({ code: 'GW_ERR_PAYMENT_ACTIVE' }),
    );
  });

  it('does not ask the gateway for its refusal while stopping', () => {
    let asked = false;
    const refusal = () => {
      asked = true;
      return undefined;
    };
    expect(() => admitPayment({ ...fine, stopping: true, refusal })).toThrow(
      expect.objectContaining({ code: 'GW_ERR_STOPPING' }),
    );
    expect(asked).toBe(false);
  });

  it('does not ask the callback policy without a statusCallback', () => {
    const { statusCallback: _, ...request } = fine.request;
    const check = {
      ...fine,
      request,
      checkCallback: () => {
        throw new Error('asked');
      },
    };
    expect(admitPayment(check)).toBe(masked);
  });
});

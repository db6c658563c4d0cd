import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/domain/audit/audit-canonical-json.js';
import {
  actionEntry,
  authEntry,
  callAnsweredEntry,
  paymentEntry,
} from '../../../src/domain/audit/audit-entries.js';
import {
  type AgentFieldView,
  type AgentView,
  addsDigitsOnly,
} from '../../../src/domain/capture/agent-view.js';
import {
  CAPTURE_FIELDS,
  ERROR_TYPES,
  OUTCOMES,
  PAYMENT_STATUSES,
} from '../../../src/domain/capture/capture-types.js';
import { CARD_BRANDS } from '../../../src/domain/card/card-brand.js';

const letters = (length: number) => fc.stringMatching(new RegExp(`^[A-Za-z]{${length}}$`));

/** An agent view of a capture of `pan`, with the PAN's digits planted wherever a careless builder might copy them. */
const viewOf = (pan: string) =>
  fc
    .record({
      id: letters(12),
      callId: letters(12),
      status: fc.constantFrom(...PAYMENT_STATUSES),
      capture: fc.option(fc.constantFrom(...CAPTURE_FIELDS), { nil: null }),
      required: fc.subarray([...CAPTURE_FIELDS]),
      fieldStates: fc.array(fc.constantFrom('pending', 'capturing', 'captured'), {
        minLength: 4,
        maxLength: 4,
      }),
      brand: fc.option(fc.constantFrom(...CARD_BRANDS), { nil: undefined }),
      valid: fc.option(fc.boolean(), { nil: undefined }),
      errorType: fc.option(fc.constantFrom(...ERROR_TYPES), { nil: undefined }),
      outcome: fc.option(fc.constantFrom(...OUTCOMES), { nil: undefined }),
    })
    .map((v): AgentView => {
      const fields: Partial<Record<(typeof CAPTURE_FIELDS)[number], AgentFieldView>> = {};
      CAPTURE_FIELDS.forEach((name, index) => {
        fields[name] = {
          state: (v.fieldStates[index] ?? 'pending') as AgentFieldView['state'],
          digits: name === 'payment-card-number' ? pan.length : 4,
          // A mask that (wrongly) carried the whole number: the builder must not copy `masked` at all.
          masked: name === 'payment-card-number' ? pan : '****',
          ...(v.brand === undefined ? {} : { brand: v.brand }),
          ...(v.valid === undefined ? {} : { valid: v.valid }),
        };
      });
      const last4 = pan.slice(-4);
      const result =
        v.outcome === undefined
          ? undefined
          : v.outcome === 'success'
            ? {
                outcome: 'success' as const,
                token: pan,
                last4,
                brand: v.brand ?? 'visa',
                expMonth: 12,
                expYear: 2030,
                confirmationCode: pan,
              }
            : { outcome: v.outcome, declineCode: pan };
      return {
        id: v.id,
        callId: v.callId,
        status: v.status,
        capture: v.capture,
        required: v.required,
        fields,
        ...(v.errorType === undefined ? {} : { errorType: v.errorType }),
        ...(result === undefined ? {} : { result }),
      };
    });

describe('audit entries', () => {
  it('no record built from any agent view holds 5 or more digits of the card number in a row', () => {
    const panAndView = fc
      .stringMatching(/^[0-9]{13,19}$/)
      .chain((pan) => fc.tuple(fc.constant(pan), viewOf(pan), fc.integer({ min: 1, max: 999 })));
    fc.assert(
      fc.property(panAndView, ([pan, view, sequence]) => {
        const text = canonicalJson(paymentEntry(view, sequence, 'agent-seven') as never);
        for (let start = 0; start + 5 <= pan.length; start += 1) {
          const run = pan.slice(start, start + 5);
          if (text.includes(run)) return false;
        }
        const last4 = pan.slice(-4);
        if (view.result?.outcome !== 'success' && text.includes(`"last4"`)) return false;
        return (
          !text.includes('masked') &&
          !text.includes('token') &&
          (text.match(/\d{5,}/g) ?? []).length === 0 &&
          (view.result?.outcome !== 'success' || text.includes(`"last4":"${last4}"`))
        );
      }),
      { numRuns: 500 },
    );
  });

  it('a payment entry names its type by the update: started, updated, finished', () => {
    const base: AgentView = {
      id: 'PKa',
      callId: 'CAa',
      status: 'in-progress',
      capture: null,
      required: [],
      fields: {},
    };
    expect(paymentEntry(base, 1, undefined).type).toBe('payment.started');
    expect(paymentEntry(base, 2, undefined).type).toBe('payment.updated');
    expect(paymentEntry({ ...base, status: 'failed' }, 3, undefined).type).toBe('payment.finished');
  });

  it('a call entry carries the agent and the masking state at answer, not the customer', () => {
    const call = {
      id: 'CA1',
      direction: 'inbound' as const,
      agent: 'agent-7',
      answeredAt: '2026-11-23T09:00:00.000Z',
      masking: 'on' as const,
      customer: '447700900123',
    };
    const entry = callAnsweredEntry(call);
    expect(entry).toEqual({
      type: 'call.answered',
      actor: 'system:kamailio',
      agent: 'agent-7',
      callId: 'CA1',
      data: { direction: 'inbound', masking: 'on', answeredAt: '2026-11-23T09:00:00.000Z', phase: 'agent' },
    });
  });

  it('an action entry keeps a well-formed action name only', () => {
    expect(
      actionEntry({ principal: 'auditor:ann', action: 'audit-report.read', outcome: 'allowed' }).data.action,
    ).toBe('audit-report.read');
    expect(
      actionEntry({ principal: 'x', action: 'pan 4242424242424242', outcome: 'denied' }).data.action,
    ).toBe('unnamed');
  });
});

describe('authEntry', () => {
  it('keeps the event, outcome, source address and reason; anything else in source or reason is dropped', () => {
    expect(
      authEntry({
        principal: 'user:bob',
        event: 'sign-in',
        outcome: 'failed',
        source: '127.0.0.1',
        reason: 'wrong-password',
      }),
    ).toEqual({
      type: 'auth.event',
      actor: 'user:bob',
      data: { event: 'sign-in', outcome: 'failed', source: '127.0.0.1', reason: 'wrong-password' },
    });
    const odd = authEntry({
      principal: 'anonymous',
      event: 'bearer',
      outcome: 'denied',
      source: 'evil host 4242424242424242',
      reason: 'token 4242424242424242',
    });
    expect(odd.data).toEqual({ event: 'bearer', outcome: 'denied', source: 'unknown', reason: undefined });
  });
});

describe('canonicalJson', () => {
  it('sorts keys, drops undefined members, has no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, d: { z: 'é', y: '"' } })).toBe(
      '{"a":[true,null,"x"],"b":1,"d":{"y":"\\"","z":"é"}}',
    );
  });

  it('refuses numbers that are not safe integers, naming the path', () => {
    expect(() => canonicalJson({ a: { b: 1.5 } })).toThrow('audit value at $.a.b is not a safe integer');
  });
});

describe('addsDigitsOnly (which payment updates get no audit record of their own)', () => {
  const keying = (digits: number, extra: Partial<AgentFieldView> = {}): AgentView => ({
    id: 'pay1',
    callId: 'call1',
    status: 'in-progress',
    capture: 'payment-card-number',
    required: ['payment-card-number', 'expiration-date'],
    fields: {
      'payment-card-number': { state: 'capturing', digits, masked: '*'.repeat(digits), ...extra },
      'expiration-date': { state: 'pending', digits: 0, masked: '' },
    },
  });

  it('is true for one more digit in the field being keyed', () => {
    expect(addsDigitsOnly(keying(3), keying(4))).toBe(true);
  });

  it.each<[string, AgentView]>([
    ['the field cleared (*)', keying(0)],
    ['the brand decided', keying(7, { brand: 'visa' })],
    ['a verdict', keying(7, { valid: false })],
    ['the field submitted', { ...keying(16), capture: 'expiration-date', required: ['expiration-date'] }],
    ['an error', { ...keying(7), errorType: 'input-timeout' }],
    ['processing', { ...keying(16), status: 'processing', capture: null }],
    ['another payment', { ...keying(7), id: 'pay2' }],
    [
      'a result',
      {
        ...keying(16),
        status: 'failed',
        capture: null,
        result: { outcome: 'caller-hung-up' } as AgentView['result'],
      },
    ],
  ])('is false for %s', (_, next) => {
    expect(addsDigitsOnly(keying(6), next)).toBe(false);
  });
});

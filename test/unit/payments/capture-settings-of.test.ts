import { describe, expect, it } from 'vitest';
import { captureSettingsOf, type PaymentRequest } from '../../../src/application/payments/payment-request.js';
import { timedPrompts } from '../../../src/composition/media-engines.js';

const charge: PaymentRequest = {
  idempotencyKey: 'k',
  tokenType: 'one-time',
  chargeAmount: '10.00',
  currency: 'gbp',
  settings: { postalCode: true },
};
const token: PaymentRequest = { idempotencyKey: 'k', tokenType: 'reusable', settings: {} };

describe('captureSettingsOf: when a payment reads its amount back', () => {
  it.each([
    ['a charge, prompts reading back by default', charge, { readsBackByDefault: true }, true],
    [
      'a charge asking not to, prompts reading back by default',
      { ...charge, readBack: false },
      { readsBackByDefault: true },
      false,
    ],
    [
      'a charge asking for it, prompts not by default',
      { ...charge, readBack: true },
      { readsBackByDefault: false },
      true,
    ],
    ['a charge, prompts not by default', charge, { readsBackByDefault: false }, false],
    ['a charge, no prompts (no readsBackByDefault)', charge, {}, false],
    ['a charge of nothing', { ...charge, chargeAmount: '0.00' }, { readsBackByDefault: true }, false],
    [
      'a token without a charge, even asked',
      { ...token, readBack: true },
      { readsBackByDefault: true },
      false,
    ],
  ] as const)('%s: %s', (_case, request: PaymentRequest, prompts, confirmAmount) => {
    expect(captureSettingsOf(request, prompts)).toEqual({ ...request.settings, confirmAmount });
  });

  it('the timed player keeps the default of the player it wraps', () => {
    const player = { play: async () => {}, readsBackByDefault: true };
    expect(timedPrompts(player, async (_command, run) => run()).readsBackByDefault).toBe(true);
    expect(
      timedPrompts({ play: async () => {} }, async (_c, run) => run()).readsBackByDefault,
    ).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import type { CaptureSettings } from '../../../src/domain/capture/capture-settings.js';
import { type PlainCard, revealCardForConnector } from '../../../src/domain/card/reveal-card.js';
import { GatewayError } from '../../../src/errors.js';
import { allWiped, type Driver, startDriver } from './support.js';

function processing(settings: CaptureSettings, keys: string): Driver {
  const d = startDriver(settings);
  d.press(keys);
  expect(d.state.status).toBe('processing');
  return d;
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('revealCardForConnector', () => {
  it('zeroes every buffer as soon as the plain copy exists, then hands it to the connector', async () => {
    const d = processing({ postalCode: true }, '4111111111111111#1230123#90210');
    let received: PlainCard | undefined;
    const reply = await revealCardForConnector(d.state, (card) => {
      received = card;
      expect(allWiped(d.state)).toBe(true);
      return 'tok_1';
    });
    expect(reply).toBe('tok_1');
    expect(received).toEqual({
      number: '4111111111111111',
      brand: 'visa',
      expMonth: 12,
      expYear: 2030,
      securityCode: '123',
      postalCode: '90210',
    });
    expect(allWiped(d.state)).toBe(true);
  });

  it('leaves out the fields the payment did not ask for', async () => {
    const d = processing({ securityCode: false }, '378282246310005' + '0130');
    const card = await revealCardForConnector(d.state, async (plain) => plain);
    expect(card).toEqual({ number: '378282246310005', brand: 'amex', expMonth: 1, expYear: 2030 });
  });

  it('zeroes the buffers when the connector fails, and passes its error on', async () => {
    const d = processing({}, '4111111111111111#1230123');
    await expect(
      revealCardForConnector(d.state, async () => {
        throw new Error('connector down');
      }),
    ).rejects.toThrow('connector down');
    expect(allWiped(d.state)).toBe(true);
  });

  it('works once: a second call finds nothing and says so without digits', async () => {
    const d = processing({}, '4111111111111111#1230123');
    await revealCardForConnector(d.state, () => undefined);
    let called = false;
    const error = await rejection(
      revealCardForConnector(d.state, () => {
        called = true;
      }),
    );
    expect(called).toBe(false);
    expect(error.code).toBe('GW_ERR_INTERNAL');
    expect(error.message).toBe('card data is not available to a connector');
  });

  it('refuses a capture that is not processing, and zeroes it anyway', async () => {
    const d = startDriver();
    d.press('4111111111111111#12');
    const error = await rejection(revealCardForConnector(d.state, () => 'never'));
    expect(error.code).toBe('GW_ERR_INTERNAL');
    expect(error.message).not.toMatch(/\d/);
    expect(allWiped(d.state)).toBe(true);
  });
});

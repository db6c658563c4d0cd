import { describe, expect, it } from 'vitest';
import { TokenisationsInFlight } from '../../../src/application/payments/payment-tokenisation.js';

describe('TokenisationsInFlight', () => {
  it('settles once every run has, including one started while waiting and one that rejects', async () => {
    const inFlight = new TokenisationsInFlight();
    const order: string[] = [];
    let finishFirst: () => void = () => {};
    inFlight.track(
      new Promise<void>((resolve) => {
        finishFirst = resolve;
      }).then(() => {
        order.push('first');
        inFlight.track(Promise.resolve().then(() => void order.push('second')));
      }),
    );
    inFlight.track(Promise.reject(new Error('applied badly')));
    const settled = inFlight.settled().then(() => order.push('settled'));
    finishFirst();
    await settled;
    expect(order).toEqual(['first', 'second', 'settled']);
  });
});

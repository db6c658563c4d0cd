import { describe, expect, it } from 'vitest';
import { claimOf, IdempotencyKeys } from '../../../src/application/payments/idempotency-keys.js';

const request = (idempotencyKey: string, chargeAmount = '10.00') => ({ idempotencyKey, chargeAmount });

describe('IdempotencyKeys', () => {
  it('gives back what a key started for the same request, and refuses another request under it', () => {
    const keys = new IdempotencyKeys<string>();
    expect(keys.replay(claimOf('CA1', request('k')))).toBeUndefined();
    keys.hold(claimOf('CA1', request('k')), 'PK1');
    expect(keys.replay(claimOf('CA1', request('k')))).toBe('PK1');
    expect(() => keys.replay(claimOf('CA1', request('k', '11.00')))).toThrow(
      expect.objectContaining({ code: 'GW_ERR_IDEMPOTENCY_CONFLICT' }),
    );
  });

  it('scopes a key to its call', () => {
    const keys = new IdempotencyKeys<string>();
    keys.hold(claimOf('CA1', request('k')), 'PK1');
    expect(keys.replay(claimOf('CA2', request('k')))).toBeUndefined();
    expect(keys.find('CA1', 'k')).toBe('PK1');
    expect(keys.find('CA2', 'k')).toBeUndefined();
  });

  it('releases a key only for the holder that still holds it', () => {
    const keys = new IdempotencyKeys<string>();
    const claim = claimOf('CA1', request('k'));
    keys.hold(claim, 'PK1');
    keys.release(claim, 'PK2');
    expect(keys.find('CA1', 'k')).toBe('PK1');
    keys.release(claim, 'PK1');
    expect(keys.find('CA1', 'k')).toBeUndefined();
  });

  it('keeps a call id and a key apart however they are spelled', () => {
    expect(claimOf('CA1', request('2k')).scopedKey).not.toBe(claimOf('CA12', request('k')).scopedKey);
  });
});

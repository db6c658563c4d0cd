import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../../src/domain/audit/audit-record.js';
import {
  afterConfirming,
  afterSigning,
  EMPTY_GUARD,
  mayExtend,
  mayHead,
  type SigningGuardState,
} from '../../../src/domain/audit/signing-guard.js';

const h = (n: number) => n.toString(16).padStart(64, '0');

/** A guard that signed records 0..n (record i's hash h(i + 1)) and had `confirmed` confirmed. */
function signedThrough(n: number, confirmed?: number): SigningGuardState {
  let state = EMPTY_GUARD;
  for (let seq = 0; seq <= n; seq += 1) state = afterSigning(state, seq, h(seq + 1));
  if (confirmed !== undefined) state = afterConfirming(state, confirmed, h(confirmed + 1)).state;
  return state;
}

describe('the audit signer signs only records that extend its own chain', () => {
  it.each([
    ['the first record it ever sees (trust on first use)', EMPTY_GUARD, 41, h(99), true],
    ['the next record after the last signed', signedThrough(5), 6, h(6), true],
    [
      'a second version of an unconfirmed record (a crash before the write)',
      signedThrough(5, 3),
      5,
      h(5),
      true,
    ],
    ['a record at the confirmed number (a rewrite)', signedThrough(5, 5), 5, h(5), false],
    ['a record below the confirmed one (a rollback)', signedThrough(5, 5), 3, h(3), false],
    ['a record whose prev is no record it signed', signedThrough(5, 2), 6, h(77), false],
    ['a new chain once records were confirmed', signedThrough(5, 5), 0, GENESIS_HASH, false],
    ['a number that skips ahead', signedThrough(5, 5), 8, h(6), false],
  ] as const)('%s', (_name, state, seq, prev, ok) => {
    expect(mayExtend(state, seq, prev, GENESIS_HASH).ok).toBe(ok);
  });

  it('confirms only a record it signed, and forgets what came before it', () => {
    const state = signedThrough(5);
    expect(afterConfirming(state, 4, h(77)).verdict.ok).toBe(false);
    const { state: confirmed, verdict } = afterConfirming(state, 4, h(5));
    expect(verdict.ok).toBe(true);
    expect(confirmed.durable).toEqual({ seq: 4, hash: h(5) });
    expect([...confirmed.signed.keys()]).toEqual([5]);
    // the same confirmation again (a head written twice) is fine
    expect(afterConfirming(confirmed, 4, h(5)).verdict.ok).toBe(true);
  });

  it('signs a head only for the confirmed record', () => {
    const state = signedThrough(5, 4);
    expect(mayHead(state, 4, h(5)).ok).toBe(true);
    expect(mayHead(state, 5, h(6)).ok).toBe(false);
    expect(mayHead(state, 4, h(9)).ok).toBe(false);
    expect(mayHead(EMPTY_GUARD, 0, h(1)).ok).toBe(false);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callIdFor } from '../../../src/application/calls/call-registry.js';
import { idWithoutPanLikeRun, PAN_LIKE_RUN } from '../../../src/domain/resource-id.js';

describe('resource ids never hold a PAN-like run of digits', () => {
  it('skips candidates with 13 or more digits in a row and keeps the first clean one', () => {
    const candidates = ['ab4242424242424242cd', '1234567890123x', 'a123456789012b'];
    expect(idWithoutPanLikeRun((attempt) => candidates[attempt] ?? 'zz')).toBe('a123456789012b');
    expect(PAN_LIKE_RUN.test('a123456789012b')).toBe(false);
  });

  it('gives up loudly rather than looping for ever', () => {
    expect(() => idWithoutPanLikeRun(() => '4242424242424242')).toThrow(/PAN-like/);
  });

  it('call ids stay the plain hash when it is clean, and are rehashed (deterministically) when not', () => {
    const plain = (sipCallId: string) => createHash('sha256').update(sipCallId).digest('hex').slice(0, 32);
    const ids = Array.from({ length: 400 }, (_, n) => `${n}-4242@127.0.0.1`);
    const dirty = ids.filter((sipCallId) => PAN_LIKE_RUN.test(plain(sipCallId)));
    expect(dirty.length).toBeGreaterThan(0);
    for (const sipCallId of ids) {
      const id = callIdFor(sipCallId);
      expect(id).toMatch(/^CA[0-9a-f]{32}$/);
      expect(PAN_LIKE_RUN.test(id)).toBe(false);
      expect(callIdFor(sipCallId)).toBe(id);
      if (!dirty.includes(sipCallId)) expect(id).toBe(`CA${plain(sipCallId)}`);
    }
  });
});

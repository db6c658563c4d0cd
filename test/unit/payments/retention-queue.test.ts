import { describe, expect, it } from 'vitest';
import { RetentionQueue } from '../../../src/application/payments/retention-queue.js';

function queueOf(entries: ReadonlyArray<readonly [string, number]>): RetentionQueue<string> {
  const queue = new RetentionQueue<string>();
  for (const [key, at] of entries) queue.add(key, at);
  return queue;
}

describe('RetentionQueue', () => {
  it('evicts the oldest first while more than `max` are held', () => {
    const queue = queueOf([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(queue.evict({ max: 1 })).toEqual(['a', 'b']);
    expect(queue.size).toBe(1);
    expect(queue.evict({ max: 1 })).toEqual([]);
  });

  it('evicts what finished before a time, then down to `max`', () => {
    const queue = queueOf([
      ['a', 10],
      ['b', 20],
      ['c', 30],
      ['d', 40],
    ]);
    expect(queue.evict({ before: 20 })).toEqual(['a']);
    expect(queue.evict({ before: 25, max: 1 })).toEqual(['b', 'c']);
    expect(queue.size).toBe(1);
  });

  it('keeps the order of adding: a key added again moves to the back', () => {
    const queue = queueOf([
      ['a', 1],
      ['b', 2],
    ]);
    queue.add('a', 3);
    expect(queue.size).toBe(2);
    expect(queue.evict({ max: 1 })).toEqual(['b']);
  });

  it('stops at the first key it keeps, so a clock set back holds later keys a little longer', () => {
    const queue = queueOf([
      ['a', 50],
      ['b', 10],
    ]);
    expect(queue.evict({ before: 40 })).toEqual([]);
    expect(queue.evict({ before: 60 })).toEqual(['a', 'b']);
  });

  it('forgets a deleted key, and evicts nothing from an empty queue', () => {
    const queue = queueOf([
      ['a', 1],
      ['b', 2],
    ]);
    expect(queue.delete('a')).toBe(true);
    expect(queue.delete('a')).toBe(false);
    expect(queue.evict({ max: 0 })).toEqual(['b']);
    expect(queue.evict({ max: 0, before: Number.POSITIVE_INFINITY })).toEqual([]);
  });

  it('treats a negative `max` as zero', () => {
    expect(queueOf([['a', 1]]).evict({ max: -3 })).toEqual(['a']);
  });
});

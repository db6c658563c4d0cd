/**
 * Finished things in the order they finished, each with the time it did, so the oldest can be
 * forgotten without a walk over everything kept: adding, removing and evicting cost O(1) per key
 * touched. The order is the order of `add` (a key added again moves to the back); evicting stops at
 * the first key it keeps.
 */
export class RetentionQueue<K> {
  /** Insertion-ordered: the first entry finished first. */
  readonly #finishedAt = new Map<K, number>();

  get size(): number {
    return this.#finishedAt.size;
  }

  /** Adds a key finished at `at` (epoch ms) at the back; one already held moves there. */
  add(key: K, at: number): void {
    this.#finishedAt.delete(key);
    this.#finishedAt.set(key, at);
  }

  delete(key: K): boolean {
    return this.#finishedAt.delete(key);
  }

  /**
   * Removes the oldest keys and returns them, oldest first: every key finished before `before` (while
   * the oldest is), then as many more as leave at most `max`.
   */
  evict(limit: { readonly max?: number; readonly before?: number }): K[] {
    const max = Math.max(0, limit.max ?? Number.POSITIVE_INFINITY);
    const before = limit.before ?? Number.NEGATIVE_INFINITY;
    const evicted: K[] = [];
    for (const [key, at] of this.#finishedAt) {
      if (this.#finishedAt.size <= max && at >= before) break;
      this.#finishedAt.delete(key);
      evicted.push(key);
    }
    return evicted;
  }
}

import type { DtmfEvent } from './dtmf-event.js';

/** Added to a report's duration: a genuine repeat of a key comes at least a tone and a gap later. */
export const DUPLICATE_SLACK_MS = 20;
const FORGET_AFTER_MS = 10_000;
const PRUNE_ABOVE_ENTRIES = 10_000;

/**
 * rtpengine with `detect-DTMF` on a block reports each RFC 4733 digit twice (the event and the
 * detector), 19–40 ms apart (docs/media.md). A report of the same key from the same party of the same
 * call that arrives less than its own duration + 20 ms after the last accepted one is that duplicate;
 * a genuine repeat needs a tone plus an inter-digit gap (≥ 40 ms) and comes later.
 */
export class DtmfDuplicateFilter {
  readonly #now: () => number;
  readonly #last = new Map<string, { key: string; at: number }>();

  constructor(options: { now: () => number }) {
    this.#now = options.now;
  }

  /** True when the event is new; false when it repeats the report just accepted. */
  accept(event: DtmfEvent): boolean {
    const now = this.#now();
    const party = `${event.sipCallId}\u0000${event.sourceTag}`;
    const last = this.#last.get(party);
    if (last && last.key === event.key && now - last.at < (event.durationMs ?? 0) + DUPLICATE_SLACK_MS) {
      return false;
    }
    this.#last.set(party, { key: event.key, at: now });
    if (this.#last.size > PRUNE_ABOVE_ENTRIES) this.#prune(now);
    return true;
  }

  #prune(now: number): void {
    for (const [party, last] of this.#last) if (now - last.at > FORGET_AFTER_MS) this.#last.delete(party);
  }
}

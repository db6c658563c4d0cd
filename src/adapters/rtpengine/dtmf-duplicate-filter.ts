import type { DtmfEvent } from './dtmf-event.js';

/**
 * Which rtpengine reported a key: the edge reports the customer's RFC 4733 events, the mask hop the
 * tones its in-band detector hears (docs/media.md, "Three hops"). Each reports a key press once.
 */
export type DtmfReportKind = 'rfc4733' | 'in-band';

/** Past this, the last key a party reported is forgotten: no key stays longer than this plus one sweep. */
const FORGET_KEY_AFTER_MS = 2_000;
/** How often `accept` sweeps old keys from every party (the receive thread also sweeps on a timer). */
export const SWEEP_EVERY_MS = 250;
/** A party (call leg) not heard from for this long is forgotten. */
const FORGET_PARTY_AFTER_MS = 15 * 60_000;

interface Party {
  /** The edge has reported an RFC 4733 key of this party: its phone signals keys as events. */
  events: boolean;
  /** The last key accepted, while no event was seen yet (a tone the event may follow). */
  lastTone: { key: string; at: number } | undefined;
  lastAt: number;
}

/**
 * Drops the mask hop's in-band reports of a phone that sends its keys as RFC 4733 events — the tone
 * under an event is the same key press (a known habit of some mobile and PSTN gateways) — and nothing
 * else. Deterministic, by order not by timing (issue 14, item 5; under load the two hops' reports of
 * one key came over 300 ms apart and a time window let both through):
 *
 * - once the edge has reported an event for a party, every in-band report of that party is dropped
 *   for the rest of the call;
 * - the first event of a party whose last accepted report is a tone of the same key, with no event
 *   before, is that tone's twin (the tone was reported first) and is dropped.
 *
 * A phone that keys one way only never loses a key. The price, documented: a phone that sends some
 * keys as events and others only as tones loses those tones after its first event (the capture then
 * misses a key and the field fails validation: the customer keys it again); never a doubled key.
 */
export class DtmfDuplicateFilter {
  readonly #parties = new Map<string, Party>();
  #sweptAt = Number.NEGATIVE_INFINITY;

  /** True when the report is a key press; false when it is the other hop's report of one accepted before. */
  accept(event: DtmfEvent, kind: DtmfReportKind, now: number): boolean {
    if (now - this.#sweptAt >= SWEEP_EVERY_MS) this.sweep(now);
    const id = `${event.sipCallId}\u0000${event.sourceTag}`;
    let party = this.#parties.get(id);
    if (party === undefined) {
      party = { events: false, lastTone: undefined, lastAt: now };
      this.#parties.set(id, party);
    }
    party.lastAt = now;
    if (kind === 'in-band') {
      if (party.events) return false;
      party.lastTone = { key: event.key, at: now };
      return true;
    }
    const twin = !party.events && party.lastTone?.key === event.key;
    party.events = true;
    party.lastTone = undefined;
    return !twin;
  }

  /**
   * Forgets every key older than FORGET_KEY_AFTER_MS, and every party idle for FORGET_PARTY_AFTER_MS.
   * `accept` sweeps as it goes; call it on a timer too, so keys go when no report comes.
   */
  sweep(now: number): void {
    this.#sweptAt = now;
    for (const [id, party] of this.#parties) {
      if (now - party.lastAt > FORGET_PARTY_AFTER_MS) {
        this.#parties.delete(id);
        continue;
      }
      if (party.lastTone !== undefined && now - party.lastTone.at > FORGET_KEY_AFTER_MS)
        party.lastTone = undefined;
    }
  }

  /** How many keys the filter holds now (for tests: none after ~2 s of silence). */
  get keysHeld(): number {
    let held = 0;
    for (const party of this.#parties.values()) if (party.lastTone !== undefined) held += 1;
    return held;
  }
}

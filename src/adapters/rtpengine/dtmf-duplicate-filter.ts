import type { DtmfEvent } from './dtmf-event.js';

/**
 * Which rtpengine reported a key: the edge reports the customer's RFC 4733 events, the mask hop the
 * tones its in-band detector hears (docs/media.md, "Three hops"). Each reports a key press once.
 */
export type DtmfReportKind = 'rfc4733' | 'in-band';

/**
 * How far apart the two hops' reports of one key press may arrive: a phone that sends a key both as
 * events and as a tone in its audio (a known habit of some mobile and PSTN gateways) is reported by
 * the edge at the event's end and by the mask hop when the tone ends, a few tens of ms apart, plus
 * the mask hop's delay. Measured lags are in docs/media.md; this is a margin over them.
 */
const CROSS_HOP_WINDOW_MS = 300;
/** Past this, an accepted report is forgotten, with its key: no key stays longer than this plus one sweep. */
const FORGET_KEYS_AFTER_MS = 2_000;
/** How often `accept` sweeps old keys from every party (the receive thread also sweeps on a timer). */
export const SWEEP_EVERY_MS = 250;
/** Accepted reports kept per party: enough for any keying, bounded under a flood of datagrams. */
const MAX_RECENT = 32;
/** A party (call leg) not heard from for this long is forgotten. */
const FORGET_PARTY_AFTER_MS = 15 * 60_000;

interface Accepted {
  readonly key: string;
  readonly kind: DtmfReportKind;
  readonly at: number;
  /** Its twin from the other hop has been dropped: it takes no other. */
  matched: boolean;
}

interface Party {
  recent: Accepted[];
  lastAt: number;
}

/**
 * Drops the second report of one key press when a phone sent it both ways (event and tone), and
 * nothing else. A report is the twin of an earlier one only when it came from the OTHER hop, carries
 * the same key, arrived within CROSS_HOP_WINDOW_MS and that earlier report has no twin yet. Two
 * reports from the same hop are always two key presses, however close (a `55` keyed 40 ms apart, an
 * auto-dialler), so a phone that keys one way only never loses a key to this filter. Keys are
 * forgotten after ~2 s.
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
      party = { recent: [], lastAt: now };
      this.#parties.set(id, party);
    }
    party.lastAt = now;
    const twin = party.recent.find(
      (accepted) =>
        !accepted.matched &&
        accepted.kind !== kind &&
        accepted.key === event.key &&
        now - accepted.at <= CROSS_HOP_WINDOW_MS,
    );
    if (twin !== undefined) {
      twin.matched = true;
      return false;
    }
    party.recent.push({ key: event.key, kind, at: now, matched: false });
    if (party.recent.length > MAX_RECENT) party.recent.shift();
    return true;
  }

  /**
   * Forgets every key older than FORGET_KEYS_AFTER_MS, and every party idle for FORGET_PARTY_AFTER_MS.
   * `accept` sweeps as it goes; call it on a timer too, so keys go when no report comes.
   */
  sweep(now: number): void {
    this.#sweptAt = now;
    for (const [id, party] of this.#parties) {
      if (now - party.lastAt > FORGET_PARTY_AFTER_MS) {
        this.#parties.delete(id);
        continue;
      }
      if (party.recent.length === 0) continue;
      party.recent = party.recent.filter((accepted) => now - accepted.at <= FORGET_KEYS_AFTER_MS);
    }
  }

  /** How many keys the filter holds now (for tests: none after ~2 s of silence). */
  get keysHeld(): number {
    let held = 0;
    for (const party of this.#parties.values()) held += party.recent.length;
    return held;
  }
}

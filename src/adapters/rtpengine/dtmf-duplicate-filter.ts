import type { DtmfEvent } from './dtmf-event.js';

/**
 * Added to a report's duration while a party has not shown its keys come in pairs. The duplicate's lag
 * was 19–47 ms on an idle machine and up to ~110 ms with both cores busy; a person pressing the same
 * key again needs a tone plus a gap of well over 60 ms (auto-diallers can go as low as 40 ms, ITU-T
 * Q.24, and would lose such a repeat). In-band digits are reported once: for them this is the rule.
 */
const DUPLICATE_SLACK_MS = 60;
/**
 * Added to a report's duration once the party's keys come in pairs (RFC 4733 events with the in-band
 * detector on). rtpengine's second report lagged the first by up to ~160 ms (sip-tester's events),
 * more with rtpengine near a full core; a genuine repeat is safe from this wider window because each
 * accepted report takes at most one duplicate.
 */
const PAIRED_SLACK_MS = 400;
/** Pairs in a row that switch a party to the wide slack (one could be a spurious double report). */
const PAIRS_TO_WIDEN = 2;
/** Reports in a row without a duplicate that switch a party back to the narrow slack. */
const SINGLES_TO_NARROW = 2;
/** A report without a duration is taken as at least this long (the duplicate lag measured up to 40 ms). */
const MIN_DURATION_MS = 50;
/**
 * Past this, an accepted report is forgotten, with its key (it may be a security code digit): no key
 * stays in the filter longer than this plus one sweep.
 */
const FORGET_KEYS_AFTER_MS = 2_000;
/** How often `accept` sweeps keys past FORGET_KEYS_AFTER_MS from every party (the listener also sweeps on a timer). */
export const SWEEP_EVERY_MS = 250;
/** Accepted reports kept per party: enough for any keying, bounded under a flood of datagrams. */
const MAX_RECENT = 32;
/** A party (call leg) not heard from for this long is forgotten, and with it whether it pairs. */
const FORGET_PARTY_AFTER_MS = 15 * 60_000;

interface Accepted {
  readonly key: string;
  readonly at: number;
  readonly durationMs: number;
  /** Its duplicate has been dropped: it takes no other. */
  matched: boolean;
  /** Counted as a report without a duplicate (its wide window ran out unmatched). */
  single: boolean;
}

interface Party {
  /** Duplicates seen in a row (reset by SINGLES_TO_NARROW singles). */
  pairs: number;
  /** Reports in a row whose window ran out without a duplicate. */
  singles: number;
  recent: Accepted[];
  lastAt: number;
}

/**
 * rtpengine with `detect-DTMF` on a block reports each RFC 4733 digit twice (the event and the
 * detector hearing the rendered event), with nothing in the datagram to tell them apart
 * (docs/media.md). A report of a key from a party (call + tag) is the duplicate of the oldest report
 * of the same key from that party that was accepted within its duration + the slack and has no
 * duplicate yet. The slack is 60 ms until the party's keys have come in pairs twice in a row, 400 ms
 * after, and 60 ms again after two reports in a row without a duplicate: under load the second report
 * can lag by more than a fast repeat's spacing, and can even come after the next key's first report
 * (1, 2, 1′, 2′), which a rule that only looks at the last key let through as an extra key. Arrival
 * times are the receive thread's stamps, not the main thread's reads. Keys are forgotten after ~2 s.
 */
export class DtmfDuplicateFilter {
  readonly #parties = new Map<string, Party>();
  #sweptAt = Number.NEGATIVE_INFINITY;

  /**
   * True when the event is new; false when it is the duplicate of one accepted before. `now` is the
   * datagram's arrival in milliseconds (DtmfReceiveThread's stamp): a read delayed by a busy event
   * loop would shorten or stretch the gap between two reports and defeat the rule.
   */
  accept(event: DtmfEvent, now: number): boolean {
    if (now - this.#sweptAt >= SWEEP_EVERY_MS) this.sweep(now);
    const id = `${event.sipCallId}\u0000${event.sourceTag}`;
    let party = this.#parties.get(id);
    if (party === undefined) {
      party = { pairs: 0, singles: 0, recent: [], lastAt: now };
      this.#parties.set(id, party);
    }
    party.lastAt = now;
    this.#countSingles(party, now);
    const slack = party.pairs >= PAIRS_TO_WIDEN ? PAIRED_SLACK_MS : DUPLICATE_SLACK_MS;
    const durationMs = Math.max(event.durationMs ?? 0, MIN_DURATION_MS);
    const original = party.recent.find(
      (accepted) =>
        !accepted.matched &&
        accepted.key === event.key &&
        now - accepted.at < Math.max(accepted.durationMs, durationMs) + slack,
    );
    if (original !== undefined) {
      original.matched = true;
      party.pairs += 1;
      party.singles = 0;
      return false;
    }
    party.recent.push({ key: event.key, at: now, durationMs, matched: false, single: false });
    if (party.recent.length > MAX_RECENT) party.recent.shift();
    return true;
  }

  /** Reports whose widest window ran out without a duplicate: two in a row narrow the slack again. */
  #countSingles(party: Party, now: number): void {
    for (const accepted of party.recent) {
      if (accepted.matched || accepted.single) continue;
      if (now - accepted.at < accepted.durationMs + PAIRED_SLACK_MS) continue;
      accepted.single = true;
      party.singles += 1;
      if (party.singles >= SINGLES_TO_NARROW) party.pairs = 0;
    }
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
      this.#countSingles(party, now);
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

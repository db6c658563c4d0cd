import type { DtmfEvent } from './dtmf-event.js';

/**
 * Added to a report's duration. The duplicate's lag was 19–47 ms on an idle machine and up to ~110 ms
 * with both cores busy; a person pressing the same key again needs a tone plus a gap of well over
 * 60 ms (auto-diallers can go as low as 40 ms, ITU-T Q.24, and would lose such a repeat).
 */
export const DUPLICATE_SLACK_MS = 60;
/** A report without a duration is taken as at least this long (the duplicate lag measured up to 40 ms). */
const MIN_DURATION_MS = 50;
/** Past this, a last key is of no use and is forgotten (it may be a security code digit). */
const FORGET_AFTER_MS = 2_000;

/**
 * rtpengine with `detect-DTMF` on a block reports each RFC 4733 digit twice (the event and the
 * detector hearing the rendered event), with nothing in the datagram to tell them apart
 * (docs/media.md). A report of the same key from the same party of the same call that arrives less
 * than its own duration + 60 ms after the last accepted one is taken as that duplicate. The lag of
 * the second report is measured at rtpengine's sending side (39–49 ms with 150 paying calls on two
 * cores; genuine repeats there were 177 ms apart or more), so the rule holds as long as arrival is
 * timed where it happens.
 */
export class DtmfDuplicateFilter {
  readonly #last = new Map<string, { key: string; at: number }>();

  /**
   * True when the event is new; false when it repeats the report just accepted. `now` is the
   * datagram's arrival in milliseconds (DtmfReceiveThread's stamp): a read delayed by a busy event
   * loop would shorten or stretch the gap between two reports and defeat the rule.
   */
  accept(event: DtmfEvent, now: number): boolean {
    const party = `${event.sipCallId}\u0000${event.sourceTag}`;
    const last = this.#last.get(party);
    const window = Math.max(event.durationMs ?? 0, MIN_DURATION_MS) + DUPLICATE_SLACK_MS;
    if (last && last.key === event.key && now - last.at < window) return false;
    this.#prune(now);
    this.#last.set(party, { key: event.key, at: now });
    return true;
  }

  /** Forgets every party whose last report is older than FORGET_AFTER_MS (keeps the map small, too). */
  #prune(now: number): void {
    for (const [party, last] of this.#last) if (now - last.at > FORGET_AFTER_MS) this.#last.delete(party);
  }
}

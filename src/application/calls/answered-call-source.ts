import type { AnsweredCall } from './answered-call.js';

/** Where the calls answered right now can be listed from (Kamailio's dialogs), for a resync. */
export interface AnsweredCallSource {
  /** The answered calls, and how many listed entries could not be read as one. */
  listAnswered(): Promise<{ calls: AnsweredCall[]; skipped: number }>;
}

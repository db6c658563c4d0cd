import type { KeypadKey } from '../../domain/capture/keypad.js';

/** One key press a media engine reported, as the router takes it. `key` is never logged. */
export interface KeyPress {
  /** The SIP Call-ID of the call it was pressed on. */
  readonly sipCallId: string;
  /** The SIP tag of the party that pressed it. */
  readonly sourceTag: string;
  readonly key: KeypadKey;
  readonly durationMs: number | undefined;
}

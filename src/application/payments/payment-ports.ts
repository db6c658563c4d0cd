import type { AgentView } from '../../domain/capture/agent-view.js';
import type { PromptId } from '../../domain/capture/capture-commands.js';
import type { Language } from '../../domain/language/languages.js';
import type { Call } from '../calls/call-registry.js';

/**
 * Plays a recorded prompt to the customer of a call (rtpengine `play media`), or nothing; in the
 * payment's language, or the player's default when it has none.
 */
export interface PromptPlayer {
  play(call: Call, prompt: PromptId, language: Language | undefined): Promise<void>;
  /**
   * Says the amount and currency and how to confirm (#) or cancel (*), in the language. Absent: the
   * customer hears nothing but the capture still waits for # (the agent says the amount).
   */
  readBack?(call: Call, amount: SpokenCharge, language: Language | undefined): Promise<void>;
  /** A charge whose request does not say reads its amount back (TONEWALL_AMOUNT_READBACK). */
  readonly readsBackByDefault?: boolean;
}

/** A payment's charge as it is read back. */
export interface SpokenCharge {
  readonly chargeAmount: string;
  readonly currency: string;
}

/** What leaves the service on every change of a payment: the agent view, nothing else. */
export interface PaymentUpdate {
  readonly view: AgentView;
  /** Increases by one on every change of this payment. */
  readonly sequence: number;
  readonly at: string;
  /**
   * The update only adds a digit to the field being keyed (`addsDigitsOnly`): news for the agent's
   * screen, not a change of state, so no audit record, status-store line or info log line.
   */
  readonly progress: boolean;
}

export const noPrompts: PromptPlayer = { play: async () => {} };

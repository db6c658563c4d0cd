import type { CaptureField } from './capture-types.js';
import type { KeypadKey } from './keypad.js';

/** What the capture learns of a tokenisation (the application maps the connector's ProcessorResult to it). */
export type TokenisationOutcome =
  | { readonly outcome: 'success'; readonly token: string; readonly confirmationCode: string }
  /**
   * `declineCode`: the processor's code (e.g. `card_declined`, `insufficient_funds`); `reason`: the
   * connector's fixed sentence for it. Never card data.
   */
  | { readonly outcome: 'declined'; readonly declineCode?: string; readonly reason?: string }
  | { readonly outcome: 'payment-connector-error' }
  /** The processor may have charged and did not answer: the payment waits for reconciliation. */
  | { readonly outcome: 'unknown' };

/** What reconciliation learnt of a charge of unknown outcome. */
export type ReconciledOutcome =
  | Extract<TokenisationOutcome, { outcome: 'success' | 'declined' }>
  /** The processor holds no request under the payment's key: no money was taken. */
  | { readonly outcome: 'not-charged' };

/**
 * Everything that can happen to a capture. Every event carries `now` (epoch ms) from the shell's
 * clock; the machine reads no clock of its own.
 */
export type CaptureEvent =
  /** The customer pressed a key. */
  | { readonly type: 'key'; readonly key: KeypadKey; readonly now: number }
  /** A timer scheduled by `schedule-timeout` fired. Stale ones (now before the deadline) are ignored. */
  | { readonly type: 'timeout'; readonly now: number }
  /** The agent asks for a field (again). */
  | { readonly type: 'capture'; readonly field: CaptureField; readonly now: number }
  /** The agent completes the payment: tokenise what was captured. */
  | { readonly type: 'complete'; readonly now: number }
  /** The agent (or the integration) cancels. */
  | { readonly type: 'cancel'; readonly now: number }
  /** The customer's call ended. */
  | { readonly type: 'hang-up'; readonly now: number }
  | { readonly type: 'processor-result'; readonly result: TokenisationOutcome; readonly now: number }
  /** Reconciliation settled a payment whose charge was of unknown outcome. */
  | { readonly type: 'reconciled'; readonly result: ReconciledOutcome; readonly now: number }
  /** The shell failed in a way that ends the payment (e.g. the connector could not be reached at all). */
  | { readonly type: 'internal-error'; readonly now: number };

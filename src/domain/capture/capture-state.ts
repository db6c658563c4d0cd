import type { CardBrand } from '../card/card-brand.js';
import type { SecureDigits } from '../card/secure-digits.js';
import type { ResolvedCaptureSettings } from './capture-settings.js';
import type { CaptureField, ErrorType, Outcome, PaymentStatus } from './capture-types.js';

/**
 * `pending`: not asked for yet (or asked for and left); `capturing`: the field digits go to now;
 * `captured`: submitted and valid.
 */
export type FieldStatus = 'pending' | 'capturing' | 'captured';

export interface FieldCapture {
  readonly status: FieldStatus;
  /** Owned by the capture; a transition may write to it or zero it. */
  readonly digits: SecureDigits;
  /**
   * How many digits the field holds, kept in step with `digits` while capturing and kept as it was
   * when the buffers are zeroed at the end, so views still say how long each field was.
   */
  readonly count: number;
  /** The verdict on the last submission of this field; absent before the first one. */
  readonly valid?: boolean;
  readonly failedAttempts: number;
  /** Card number only: the brand the digits keyed so far decide, once they decide one. */
  readonly brand?: CardBrand;
}

/** What may be known about the card without its digits, once the fields that tell it are valid. */
export interface CardSummary {
  readonly brand?: CardBrand;
  /** Set only once the card number is valid. */
  readonly last4?: string;
  readonly expMonth?: number;
  readonly expYear?: number;
}

export type PaymentResult =
  | {
      readonly outcome: 'success';
      readonly token: string;
      readonly last4: string;
      readonly brand: CardBrand;
      readonly expMonth: number;
      readonly expYear: number;
      readonly confirmationCode: string;
    }
  | {
      readonly outcome: Exclude<Outcome, 'success'>;
      readonly declineCode?: string;
      /** For a decline: a fixed sentence chosen by the connector from the code. */
      readonly reason?: string;
    };

/**
 * One payment capture. A value, except for the digit buffers, which the capture owns: a transition may
 * write to them or zero them, so once a transition has returned a new state the old one is stale.
 */
export interface CaptureState {
  readonly id: string;
  readonly callId: string;
  readonly settings: ResolvedCaptureSettings;
  readonly status: PaymentStatus;
  /** The field digits go to now; null when none (agent mode between fields, or not in progress). */
  readonly capture: CaptureField | null;
  /** The fields the settings ask for, in capture order. */
  readonly fields: Readonly<Partial<Record<CaptureField, FieldCapture>>>;
  readonly card: CardSummary;
  /** When the current field times out (epoch ms); null when no timer runs. */
  readonly deadline: number | null;
  /** When the whole capture expires (epoch ms); no deadline is ever set beyond it. */
  readonly expiresAt: number;
  readonly errorType?: ErrorType;
  readonly result?: PaymentResult;
  /**
   * The amount read back (settings.confirmAmount): `awaiting` once it was said and `#`/`*` is awaited,
   * `confirmed` after `#`; absent before, and for payments that do not read it back.
   */
  readonly readBack?: ReadBack;
}

export interface ReadBack {
  readonly status: 'awaiting' | 'confirmed';
  /** How many times the amount was said (a timeout says it again, up to settings.maxAttempts). */
  readonly said: number;
}

/** Zeroes every digit buffer of the capture. */
export function wipeCardDigits(state: CaptureState): void {
  for (const field of Object.values(state.fields)) field.digits.wipe();
}

import type { CaptureField } from './capture-types.js';

/** Prompts the media adapter plays to the customer; each names one recording. */
export const PROMPT_IDS = [
  'ask-payment-card-number',
  'ask-expiration-date',
  'ask-security-code',
  'ask-postal-code',
  'error-input-timeout',
  'error-invalid-card-number',
  'error-invalid-card-type',
  'error-invalid-date',
  'error-invalid-security-code',
  'error-invalid-postal-code',
  'error-too-many-failed-attempts',
  'payment-processing',
  'payment-succeeded',
  'payment-declined',
  'payment-failed',
  'payment-cancelled',
] as const;
export type PromptId = (typeof PROMPT_IDS)[number];

export function askPrompt(field: CaptureField): PromptId {
  return `ask-${field}`;
}

/**
 * What the shell must do after a transition, in order. The machine does no I/O itself.
 * - `play-prompt`: play a recording to the customer.
 * - `read-back-amount`: say the payment's amount and currency to the customer in their language and
 *   ask for `#` to confirm or `*` to cancel (the amount is the payment's, not the capture's).
 * - `schedule-timeout`: (re)arm the payment's one timer to feed `{type:'timeout', now}` at `at`.
 * - `clear-timeout`: disarm it.
 * - `tokenise`: call revealCardForConnector(state, connector) and feed the `processor-result`.
 * - `notify`: the state changed; publish toAgentView(state) and write the audit record.
 */
export type CaptureCommand =
  | { readonly type: 'play-prompt'; readonly prompt: PromptId }
  | { readonly type: 'read-back-amount' }
  | { readonly type: 'schedule-timeout'; readonly at: number }
  | { readonly type: 'clear-timeout' }
  | { readonly type: 'tokenise' }
  | { readonly type: 'notify' };

/** Why an agent's request was refused; the API maps these to 409/422 replies. */
export type CaptureRejection = 'not-in-progress' | 'field-not-requested' | 'fields-incomplete';

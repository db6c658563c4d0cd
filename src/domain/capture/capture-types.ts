/**
 * The vocabulary of a payment capture, named as the Twilio Payments API names it (see DESIGN.md,
 * "Public contract"). The arrays exist so that boundaries (zod schemas, docs tests) reuse one list.
 */

/** The fields of a card, in the order auto mode asks for them. */
export const CAPTURE_FIELDS = [
  'payment-card-number',
  'expiration-date',
  'security-code',
  'postal-code',
] as const;
export type CaptureField = (typeof CAPTURE_FIELDS)[number];

/**
 * `unknown`: the processor may have charged and did not say (an error after the request was sent, a
 * timeout, a gateway stopped mid-charge). Not terminal: reconciliation turns it into `succeeded` or
 * `failed`, and until then no new payment starts on the call.
 */
export const PAYMENT_STATUSES = [
  'in-progress',
  'processing',
  'unknown',
  'succeeded',
  'failed',
  'cancelled',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** `auto`: the gateway walks the fields and completes by itself. `agent`: the agent picks and completes. */
export const CAPTURE_MODES = ['auto', 'agent'] as const;
export type CaptureMode = (typeof CAPTURE_MODES)[number];

/** Why a field was rejected or a payment failed (DESIGN.md lists exactly these). */
export const ERROR_TYPES = [
  'input-timeout',
  'invalid-card-number',
  'invalid-card-type',
  'invalid-date',
  'invalid-security-code',
  'invalid-postal-code',
  'too-many-failed-attempts',
  'caller-hung-up',
  'payment-connector-error',
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** The error types a single failed attempt at one field can have. */
export type FieldErrorType = Extract<
  ErrorType,
  | 'input-timeout'
  | 'invalid-card-number'
  | 'invalid-card-type'
  | 'invalid-date'
  | 'invalid-security-code'
  | 'invalid-postal-code'
>;

/** How a payment ended. */
export const OUTCOMES = [
  'success',
  'declined',
  'payment-connector-error',
  'caller-hung-up',
  'too-many-failed-attempts',
  'cancelled',
  'internal-error',
  /** A charge whose result the processor has not given (status `unknown`). */
  'unknown',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export function isTerminalStatus(status: PaymentStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/**
 * Time-based one-time codes (RFC 6238), the second factor of a local sign-in. The application owns
 * this port; src/adapters/users/totp-codes.ts implements it with a maintained library.
 */
export interface OneTimeCodes {
  /** A new random shared secret (base32, as authenticator apps take it). */
  newSecret(): string;
  /** The `otpauth://` URI an authenticator app enrols from (holds the secret: show it to its user only). */
  enrolmentUri(username: string, secret: string): string;
  /**
   * The time step a code is valid for at `atMs` (±1 step of clock drift), or undefined. The caller
   * refuses a step it has already accepted for the user (a code is good once).
   */
  verify(secret: string, code: string, atMs: number): number | undefined;
}

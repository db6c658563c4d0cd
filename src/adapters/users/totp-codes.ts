import { Secret, TOTP } from 'otpauth';
import type { OneTimeCodes } from '../../application/access/one-time-codes.js';

const PERIOD_S = 30;
const DIGITS = 6;

/**
 * RFC 6238 codes with `otpauth` (SHA-1, 6 digits, 30 s: what every authenticator app supports),
 * 160-bit secrets (RFC 4226 §4), one step of drift either way.
 */
export class TotpCodes implements OneTimeCodes {
  readonly #issuer: string;

  constructor(options: { issuer: string }) {
    this.#issuer = options.issuer;
  }

  newSecret(): string {
    return new Secret({ size: 20 }).base32;
  }

  enrolmentUri(username: string, secret: string): string {
    return this.#totp(secret, username).toString();
  }

  verify(secret: string, code: string, atMs: number): number | undefined {
    if (!/^\d{6}$/.test(code)) return undefined;
    const delta = this.#totp(secret).validate({ token: code, timestamp: atMs, window: 1 });
    return delta === null ? undefined : Math.floor(atMs / 1000 / PERIOD_S) + delta;
  }

  #totp(secret: string, label = 'user'): TOTP {
    return new TOTP({
      issuer: this.#issuer,
      label,
      algorithm: 'SHA1',
      digits: DIGITS,
      period: PERIOD_S,
      secret: Secret.fromBase32(secret),
    });
  }
}

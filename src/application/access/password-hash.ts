import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes in the PHC string format: `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64, no
 * padding), a fresh 16-byte salt for every hash, compared in constant time. The cost is read from
 * the hash within fixed bounds, so a users file cannot make verification arbitrarily slow.
 */
export interface ScryptCost {
  /** log2 of N. */
  readonly ln: number;
  readonly r: number;
  readonly p: number;
}

/** The shortest password `tonewall users` accepts (PCI DSS 8.3.6: at least 12 characters). */
export const MIN_PASSWORD_LENGTH = 12;

export const DEFAULT_SCRYPT_COST: ScryptCost = { ln: 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const PATTERN =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,64})\$([A-Za-z0-9+/]{32,128})$/;

function derive(password: string, salt: Buffer, cost: ScryptCost, length: number): Promise<Buffer> {
  const options: ScryptOptions = {
    N: 2 ** cost.ln,
    r: cost.r,
    p: cost.p,
    maxmem: 2 * 128 * cost.r * 2 ** cost.ln + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

const b64 = (buffer: Buffer) => buffer.toString('base64').replace(/=+$/, '');

export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost, KEY_LENGTH);
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${b64(salt)}$${b64(key)}`;
}

export function isPasswordHash(value: string): boolean {
  const match = PATTERN.exec(value);
  if (!match) return false;
  const [ln, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return ln >= 10 && ln <= 20 && r >= 1 && r <= 32 && p >= 1 && p <= 4;
}

/** True when `password` matches `hash`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const match = PATTERN.exec(hash);
  if (!match || !isPasswordHash(hash)) return false;
  const cost = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  const salt = Buffer.from(match[4] ?? '', 'base64');
  const expected = Buffer.from(match[5] ?? '', 'base64');
  const actual = await derive(password, salt, cost, expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * Keyed card digits, held as digit values in a Uint8Array that can be zeroed. The type, not the memory
 * of whoever logs it, keeps digits out of strings: `toString`, `toJSON` and `util.inspect` all print a
 * mask of one `*` a digit, and there is no accessor that returns the digits.
 *
 * The digits leave as plain values in exactly one place, `revealCardForConnector` (reveal-card.ts),
 * which hands them to a processor connector and zeroes them afterwards. The only other value taken
 * from them is the last four of a validated card number (field-rules.ts), which PCI DSS 3.4.1 allows
 * to be displayed.
 */

/** util.inspect's hook, named through the global registry so the domain imports no `node:` module. */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export const MAX_SECURE_DIGITS_CAPACITY = 64;

export interface SecureDigitsOptions {
  /** The most digits the buffer holds (1–64). */
  readonly capacity: number;
}

export class SecureDigits {
  readonly #buffer: Uint8Array;
  #length = 0;

  constructor(options: SecureDigitsOptions) {
    const { capacity } = options;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_SECURE_DIGITS_CAPACITY) {
      throw new RangeError(`"capacity" must be an integer from 1 to ${MAX_SECURE_DIGITS_CAPACITY}`);
    }
    this.#buffer = new Uint8Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  get capacity(): number {
    return this.#buffer.length;
  }

  get isFull(): boolean {
    return this.#length === this.#buffer.length;
  }

  /** Adds one digit value (0–9). Returns false, storing nothing, when the buffer is full. */
  append(digit: number): boolean {
    if (!Number.isInteger(digit) || digit < 0 || digit > 9) {
      throw new RangeError('"digit" must be an integer from 0 to 9');
    }
    if (this.isFull) return false;
    this.#buffer[this.#length] = digit;
    this.#length += 1;
    return true;
  }

  /** Zeroes every byte and empties the buffer. */
  wipe(): void {
    this.#buffer.fill(0);
    this.#length = 0;
  }

  /** True when the buffer is empty and every byte of it is zero. */
  isWiped(): boolean {
    return this.#length === 0 && this.#buffer.every((byte) => byte === 0);
  }

  /**
   * Runs a validation rule over a copy of the digits and zeroes the copy afterwards. For the rules in
   * src/domain only: a rule returns a verdict (valid or not, a brand, a length), never the digits.
   */
  evaluate<R>(rule: (digits: ArrayLike<number>) => R): R {
    const copy = this.#buffer.slice(0, this.#length);
    try {
      return rule(copy);
    } finally {
      copy.fill(0);
    }
  }

  toString(): string {
    return '*'.repeat(this.#length);
  }

  toJSON(): string {
    return this.toString();
  }

  [INSPECT](): string {
    return `SecureDigits(${this.toString()})`;
  }
}

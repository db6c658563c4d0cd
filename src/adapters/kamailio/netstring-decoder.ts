/** Largest netstring accepted from evapi; a call event is well under 2 KiB. */
export const MAX_NETSTRING_BYTES = 64 * 1024;

export class NetstringError extends Error {
  override readonly name = 'NetstringError';
}

/**
 * Splits a byte stream into netstrings (`<length>:<payload>,`), across TCP chunk boundaries.
 * A framing error is unrecoverable for the stream: push() throws and the caller reconnects.
 */
export class NetstringDecoder {
  #buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const out: string[] = [];
    for (;;) {
      const colon = this.#buffer.indexOf(0x3a);
      if (colon === -1) {
        if (this.#buffer.length > 10) throw new NetstringError('netstring length prefix is too long');
        return out;
      }
      const prefix = this.#buffer.subarray(0, colon).toString('latin1');
      if (!/^\d{1,10}$/.test(prefix)) throw new NetstringError('netstring length prefix is not a number');
      const length = Number(prefix);
      if (length > MAX_NETSTRING_BYTES) throw new NetstringError('netstring is larger than the limit');
      const end = colon + 1 + length;
      if (this.#buffer.length < end + 1) return out;
      if (this.#buffer[end] !== 0x2c) throw new NetstringError('netstring does not end with a comma');
      out.push(this.#buffer.subarray(colon + 1, end).toString('utf8'));
      this.#buffer = this.#buffer.subarray(end + 1);
    }
  }

  reset(): void {
    this.#buffer = Buffer.alloc(0);
  }
}

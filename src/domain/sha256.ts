import { createHash } from 'node:crypto';

/**
 * SHA-256 of a text (UTF-8), as lower-case hex: the audit chain's `prev` links, integration keys'
 * digests. The one `node:` module the domain uses: a pure computation (same text, same digest), no I/O.
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

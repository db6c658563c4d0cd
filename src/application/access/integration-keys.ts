import { createHash, timingSafeEqual } from 'node:crypto';
import type { IntegrationKeyDigest } from '../../domain/access/integration-key-digest.js';
import type { Principal } from './principal.js';

/**
 * Integration API keys (CRM/CTI) known only by their SHA-256 digests. A presented key is hashed and
 * compared with every digest in constant time; the key itself is never kept.
 */
export class IntegrationKeys {
  readonly #keys: ReadonlyArray<{ name: string; digest: Buffer }>;

  constructor(digests: readonly IntegrationKeyDigest[]) {
    this.#keys = digests.map(({ name, sha256 }) => ({ name, digest: Buffer.from(sha256, 'hex') }));
  }

  get size(): number {
    return this.#keys.length;
  }

  match(token: string): Principal | undefined {
    const presented = createHash('sha256').update(token, 'utf8').digest();
    let found: string | undefined;
    for (const key of this.#keys) if (timingSafeEqual(key.digest, presented)) found ??= key.name;
    return found === undefined ? undefined : { kind: 'integration', name: found };
  }
}

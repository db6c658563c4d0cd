import { createHash, timingSafeEqual } from 'node:crypto';
import type { IntegrationKeyDigest } from '../../domain/access/integration-key-digest.js';
import { isScope } from '../../domain/access/scopes.js';
import type { Clock } from '../clock.js';
import type { Principal } from './principal.js';

export type IntegrationKeyMatch =
  | { readonly found: true; readonly principal: Extract<Principal, { kind: 'integration' }> }
  | { readonly found: false; readonly expired?: string };

/**
 * Integration API keys (CRM/CTI) known only by their SHA-256 digests. A presented key is hashed and
 * compared with every digest in constant time; the key itself is never kept. A key past its expiry
 * is refused (and named, so the operator can see which one to renew).
 */
export class IntegrationKeys {
  readonly #keys: ReadonlyArray<{ digest: Buffer; key: IntegrationKeyDigest }>;
  readonly #clock: Clock;

  constructor(digests: readonly IntegrationKeyDigest[], clock: Clock) {
    this.#keys = digests.map((key) => ({ key, digest: Buffer.from(key.sha256, 'hex') }));
    this.#clock = clock;
  }

  get size(): number {
    return this.#keys.length;
  }

  match(token: string): IntegrationKeyMatch {
    const presented = createHash('sha256').update(token, 'utf8').digest();
    let found: IntegrationKeyDigest | undefined;
    for (const { digest, key } of this.#keys) if (timingSafeEqual(digest, presented)) found ??= key;
    if (found === undefined) return { found: false };
    if (found.expiresAt !== undefined && found.expiresAt <= this.#clock.now())
      return { found: false, expired: found.name };
    return {
      found: true,
      principal: {
        kind: 'integration',
        name: found.name,
        scopes: found.scopes.filter(isScope),
        ...(found.expiresAt === undefined ? {} : { expiresAt: found.expiresAt }),
      },
    };
  }
}

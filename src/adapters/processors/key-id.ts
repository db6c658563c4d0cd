import type { KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';

/**
 * The key id (`kid`) of an encryption key: the RFC 7638 JWK thumbprint (SHA-256) of its public part.
 * Both ends derive it from the key itself, so no id needs configuring or can drift from its key.
 */
export async function keyIdOf(publicKey: KeyObject): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(publicKey), 'sha256');
}

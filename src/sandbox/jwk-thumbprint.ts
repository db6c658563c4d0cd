import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * The key id the gateway puts in a JWE's `kid` (spec, "Key id"): the RFC 7638 thumbprint of the
 * RSA public key — SHA-256 over `{"e":…,"kty":"RSA","n":…}` (members in that order, no white
 * space), base64url without padding. `key` may be the private key; only its public half is used.
 */
export function rsaKeyThumbprint(key: KeyObject): string {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new TypeError('an RSA key is required');
  }
  const canonical = `{"e":"${jwk.e}","kty":"RSA","n":"${jwk.n}"}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

import { type KeyObject, sign } from 'node:crypto';

/** What the audit store signs records and its head with. */
export interface RecordSigner {
  /** The id records carry: the RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  /** The Ed25519 signature of `input` (UTF-8), base64url (the signer process answers over a socket). */
  sign(input: string): Promise<string> | string;
  /**
   * Record `seq` (its hash `hash`) is on disk: a signer that keeps its own chain (RemoteSigner) will
   * not sign anything before it again. Optional: a key in memory keeps no chain.
   */
  confirm?(seq: number, hash: string): Promise<void>;
}

/**
 * An Ed25519 private key with its id, as the main thread hands it to the audit store's thread (a
 * KeyObject can be posted to a worker; its key material is never printed).
 */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly kid: string;
}

export function signEd25519(privateKey: KeyObject, input: string): string {
  return sign(null, Buffer.from(input, 'utf8'), privateKey).toString('base64url');
}

/**
 * Signs with a key whose id AuditSigner derived already: the store's thread needs no JOSE library
 * to compute thumbprints.
 */
export function keySigner(key: SigningKey): RecordSigner {
  return { kid: key.kid, sign: (input) => signEd25519(key.privateKey, input) };
}

import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GatewayError } from '../../errors.js';
import { keyIdOf } from '../processors/key-id.js';
import { type RecordSigner, type SigningKey, signEd25519 } from './audit-record-signer.js';

/**
 * Signs audit records with an Ed25519 private key (PKCS#8 PEM, as scripts/keys.ts writes
 * keys/audit-signing.key). The key id is the RFC 7638 thumbprint of the public key, so a verifier
 * finds the key from the key itself and nothing needs configuring.
 */
export class AuditSigner implements RecordSigner {
  readonly kid: string;
  /** The public key (SPKI PEM) an auditor verifies with. */
  readonly publicKeyPem: string;
  readonly #privateKey: KeyObject;

  private constructor(privateKey: KeyObject, kid: string, publicKeyPem: string) {
    this.#privateKey = privateKey;
    this.kid = kid;
    this.publicKeyPem = publicKeyPem;
  }

  static async fromKey(privateKey: KeyObject): Promise<AuditSigner> {
    if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
      throw new GatewayError('GW_ERR_AUDIT_KEY', 'audit signing key is not an Ed25519 private key');
    }
    const publicKey = createPublicKey(privateKey);
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    return new AuditSigner(privateKey, await keyIdOf(publicKey), pem);
  }

  static async fromFile(path: string): Promise<AuditSigner> {
    let key: KeyObject;
    try {
      key = createPrivateKey(await readFile(path));
    } catch (error) {
      throw new GatewayError('GW_ERR_AUDIT_KEY', 'audit signing key file cannot be read as a private key', {
        cause: error,
      });
    }
    return AuditSigner.fromKey(key);
  }

  /** The Ed25519 signature of `input` (UTF-8), base64url. */
  sign(input: string): string {
    return signEd25519(this.#privateKey, input);
  }

  /** The private key and its id, for the audit store's thread only (AuditStoreThread posts it there). */
  get signingKey(): SigningKey {
    return { privateKey: this.#privateKey, kid: this.kid };
  }
}

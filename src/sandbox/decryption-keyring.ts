import { createPrivateKey, type KeyObject } from 'node:crypto';
import { compactDecrypt } from 'jose';
import { GatewayError } from '../errors.js';
import { rsaKeyThumbprint } from './jwk-thumbprint.js';
import { PROTOCOL } from './wire-format.js';

export type DecryptOutcome =
  | { readonly ok: true; readonly plaintext: Uint8Array; readonly keyId: string }
  | { readonly ok: false; readonly code: 'unknown_kid' | 'invalid_jwe' };

/**
 * The processor's active decryption keys, by kid. More than one may be active: during a rotation
 * the gateway may encrypt to the old key or the new one and both decrypt.
 */
export class DecryptionKeyring {
  readonly #keys: ReadonlyMap<string, KeyObject>;

  private constructor(keys: ReadonlyMap<string, KeyObject>) {
    this.#keys = keys;
  }

  /** `pems` are RSA private keys (PKCS#8 or PKCS#1), each named by `labels[i]` in errors. */
  static async fromPems(pems: readonly { label: string; pem: string }[]): Promise<DecryptionKeyring> {
    if (pems.length === 0) throw new GatewayError('GW_ERR_CONFIG', 'sandbox has no decryption keys');
    const keys = new Map<string, KeyObject>();
    for (const { label, pem } of pems) {
      let key: KeyObject;
      try {
        key = createPrivateKey(pem);
      } catch (error) {
        throw new GatewayError('GW_ERR_CONFIG', `decryption key "${label}" is not a PEM private key`, {
          cause: error,
        });
      }
      if (key.asymmetricKeyType !== 'rsa') {
        throw new GatewayError('GW_ERR_CONFIG', `decryption key "${label}" is not an RSA key`);
      }
      keys.set(rsaKeyThumbprint(key), key);
    }
    return new DecryptionKeyring(keys);
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  async decrypt(jwe: string): Promise<DecryptOutcome> {
    let unknownKid = false;
    try {
      const { plaintext, protectedHeader } = await compactDecrypt(
        jwe,
        (header) => {
          const key = header.kid === undefined ? undefined : this.#keys.get(header.kid);
          if (!key) {
            unknownKid = true;
            throw new Error('unknown kid');
          }
          return key;
        },
        {
          keyManagementAlgorithms: [PROTOCOL.keyManagement],
          contentEncryptionAlgorithms: [PROTOCOL.contentEncryption],
        },
      );
      return { ok: true, plaintext, keyId: protectedHeader.kid ?? '' };
    } catch {
      return { ok: false, code: unknownKid ? 'unknown_kid' : 'invalid_jwe' };
    }
  }
}

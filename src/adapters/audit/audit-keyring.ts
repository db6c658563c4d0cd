import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SignatureCheck } from '../../application/audit/verify/verify-ports.js';
import { GatewayError } from '../../errors.js';
import { keyIdOf } from '../processors/key-id.js';

const PUBLIC_PEM = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g;

/**
 * The public keys an auditor verifies the log with, by key id. Loads Ed25519 public keys (SPKI PEM)
 * from files and directories (every `*.pem` in them); anything else there (certificates, RSA keys,
 * private keys) is passed over, so `keys/` itself can be given.
 */
export class AuditKeyring {
  readonly #keys: ReadonlyMap<string, KeyObject>;

  private constructor(keys: ReadonlyMap<string, KeyObject>) {
    this.#keys = keys;
  }

  static async fromPublicKeys(keys: readonly KeyObject[]): Promise<AuditKeyring> {
    const byKid = new Map<string, KeyObject>();
    for (const key of keys) {
      if (key.type === 'public' && key.asymmetricKeyType === 'ed25519') byKid.set(await keyIdOf(key), key);
    }
    return new AuditKeyring(byKid);
  }

  /** Loads every Ed25519 public key found at `paths` (files or directories, not recursing). */
  static async load(paths: readonly string[]): Promise<AuditKeyring> {
    const keys: KeyObject[] = [];
    for (const path of paths) {
      let files: string[];
      try {
        files = (await stat(path)).isDirectory()
          ? (await readdir(path)).filter((name) => name.endsWith('.pem')).map((name) => join(path, name))
          : [path];
      } catch (error) {
        throw new GatewayError('GW_ERR_AUDIT_KEY', 'a public key path cannot be read', { cause: error });
      }
      for (const file of files) {
        const text = await readFile(file, 'utf8');
        for (const pem of text.match(PUBLIC_PEM) ?? []) {
          try {
            keys.push(createPublicKey(pem));
          } catch {
            // Not a key node can read: not one of ours.
          }
        }
      }
    }
    return AuditKeyring.fromPublicKeys(keys);
  }

  get kids(): string[] {
    return [...this.#keys.keys()];
  }

  verify(kid: string, input: string, signature: string): SignatureCheck {
    const key = this.#keys.get(kid);
    if (!key) return 'unknown-key';
    const bytes = Buffer.from(signature, 'base64url');
    if (bytes.length !== 64) return 'bad';
    return verify(null, Buffer.from(input, 'utf8'), key, bytes) ? 'ok' : 'bad';
  }
}

import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { SignatureCheck } from '../../application/audit/verify/verify-ports.js';
import { GatewayError } from '../../errors.js';
import { keyIdOf } from '../processors/key-id.js';

const PUBLIC_PEM = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g;

/** The pinned keyring file (`keys/audit-keyring.json`, scripts/keys.ts keeps it): keys with validity windows. */
const pinnedSchema = z
  .object({
    version: z.literal(1),
    keys: z
      .array(
        z
          .object({
            publicKey: z.string().max(4096),
            notBefore: z.iso.datetime(),
            notAfter: z.iso.datetime().optional(),
          })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();

type PinnedKeyringFile = z.infer<typeof pinnedSchema>;

interface KeyEntry {
  readonly key: KeyObject;
  /** Epoch ms; records signed before it are refused. Undefined: a key given as a bare .pem. */
  readonly notBefore?: number;
  readonly notAfter?: number;
}

/**
 * The public keys an auditor verifies the log with, by key id. From a pinned keyring file (`*.json`:
 * each key with the window in which it may sign — a record whose time is outside it fails), or from
 * Ed25519 public keys (SPKI PEM) in files and directories (every `*.pem` in them; anything else there
 * is passed over). The gateway's served report and `audit verify` default to the pinned file, never
 * to whatever sits in `keys/`.
 */
export class AuditKeyring {
  readonly #keys: ReadonlyMap<string, KeyEntry>;

  private constructor(keys: ReadonlyMap<string, KeyEntry>) {
    this.#keys = keys;
  }

  static async fromPublicKeys(keys: readonly KeyObject[]): Promise<AuditKeyring> {
    return new AuditKeyring(await byKid(keys.map((key) => ({ key }))));
  }

  /** Loads a pinned keyring (`*.json`) or every Ed25519 public key found at `paths` (files or directories). */
  static async load(paths: readonly string[]): Promise<AuditKeyring> {
    const entries: KeyEntry[] = [];
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
        if (file.endsWith('.json')) entries.push(...pinnedEntries(text));
        else entries.push(...pemEntries(text));
      }
    }
    return new AuditKeyring(await byKid(entries));
  }

  get kids(): string[] {
    return [...this.#keys.keys()];
  }

  /** Checks `signature` with key `kid`; with `at` (a record's time), also that the key could sign then. */
  verify(kid: string, input: string, signature: string, at?: string): SignatureCheck {
    const entry = this.#keys.get(kid);
    if (!entry) return 'unknown-key';
    if (at !== undefined) {
      const time = Date.parse(at);
      if (
        (entry.notBefore !== undefined && time < entry.notBefore) ||
        (entry.notAfter !== undefined && time >= entry.notAfter)
      )
        return 'outside-window';
    }
    const bytes = Buffer.from(signature, 'base64url');
    if (bytes.length !== 64) return 'bad';
    return verify(null, Buffer.from(input, 'utf8'), entry.key, bytes) ? 'ok' : 'bad';
  }
}

function pemEntries(text: string): KeyEntry[] {
  const entries: KeyEntry[] = [];
  for (const pem of text.match(PUBLIC_PEM) ?? []) {
    try {
      entries.push({ key: createPublicKey(pem) });
    } catch {
      // Not a key node can read: not one of ours.
    }
  }
  return entries;
}

function pinnedEntries(text: string): KeyEntry[] {
  let parsed: PinnedKeyringFile;
  try {
    parsed = pinnedSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new GatewayError('GW_ERR_AUDIT_KEY', 'the pinned audit keyring is not valid', { cause: error });
  }
  return parsed.keys.map((entry) => {
    let key: KeyObject;
    try {
      key = createPublicKey(entry.publicKey);
    } catch (error) {
      throw new GatewayError(
        'GW_ERR_AUDIT_KEY',
        'the pinned audit keyring holds a key that is no public key',
        {
          cause: error,
        },
      );
    }
    return {
      key,
      notBefore: Date.parse(entry.notBefore),
      ...(entry.notAfter === undefined ? {} : { notAfter: Date.parse(entry.notAfter) }),
    };
  });
}

async function byKid(entries: readonly KeyEntry[]): Promise<Map<string, KeyEntry>> {
  const keys = new Map<string, KeyEntry>();
  for (const entry of entries) {
    const { key } = entry;
    if (key.type === 'public' && key.asymmetricKeyType === 'ed25519') keys.set(await keyIdOf(key), entry);
  }
  return keys;
}

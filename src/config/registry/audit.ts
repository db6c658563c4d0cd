import { integer, path, setting } from './setting.js';

const pathList = path.max(8192);

/** The signed, hash-chained audit log (src/config/audit-settings.ts builds its settings). */
export const AUDIT_SETTINGS = {
  TONEWALL_AUDIT_DIR: setting({
    type: path,
    defaultText: '`.run/<run>/audit`',
    readBy: ['gateway', 'scripts'],
    doc: "the audit log's folder (relative to `TONEWALL_ROOT`)",
  }),
  TONEWALL_AUDIT_KEY: setting({
    type: path,
    default: 'audit-signing.key',
    readBy: ['gateway', 'scripts'],
    doc: 'the Ed25519 signing key (PKCS#8 PEM; relative to `TONEWALL_KEYS_DIR`)',
  }),
  TONEWALL_AUDIT_PREVIOUS_KEY: setting({
    type: path,
    readBy: ['gateway'],
    doc: 'after replacing `TONEWALL_AUDIT_KEY`: the key the log was last signed with, for the one start that cross-signs the rotation (the gateway refuses a new key without it); remove it afterwards',
  }),
  TONEWALL_AUDIT_MAX_FILE_BYTES: setting({
    type: integer(4096, 1024 ** 3),
    default: String(16 * 1024 * 1024),
    readBy: ['gateway'],
    doc: 'a segment file rotates before it would grow past this many bytes (and at each UTC day)',
  }),
  TONEWALL_AUDIT_PUBLIC_KEYS: setting({
    type: pathList,
    defaultText: '`TONEWALL_KEYS_DIR/audit-keyring.json`',
    readBy: ['gateway'],
    doc: 'what the served audit report verifies with: a pinned keyring (`*.json`, each key with its validity window; `scripts/keys.ts` keeps one) or public keys (files or folders of `*.pem`, no windows), comma-separated',
  }),
  TONEWALL_AUDIT_SCAN_PATHS: setting({
    type: pathList,
    defaultText: '`.run/<run>`',
    readBy: ['gateway'],
    doc: "what the served report's card-number scan reads (comma-separated)",
  }),
} as const;

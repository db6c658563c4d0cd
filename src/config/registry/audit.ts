import { z } from 'zod';
import { hostPort, integer, path, setting } from './setting.js';

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
    readBy: ['gateway', 'scripts', 'signer'],
    doc: 'the Ed25519 signing key (PKCS#8 PEM; relative to `TONEWALL_KEYS_DIR`)',
  }),
  TONEWALL_AUDIT_PREVIOUS_KEY: setting({
    type: path,
    readBy: ['gateway', 'signer'],
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
  TONEWALL_AUDIT_SIGNER_SOCKET: setting({
    type: path,
    defaultText:
      'none: the gateway reads `TONEWALL_AUDIT_KEY` itself (`up` and `demo`: `.run/<run>/signer/signer.sock`)',
    readBy: ['gateway', 'scripts', 'signer'],
    doc: "the audit signer process's Unix socket (`node dist/signer/main.js`, run under a user of its own): the gateway asks it to sign and never reads a key; it signs only records that extend its chain",
  }),
  TONEWALL_AUDIT_SIGNER_STATE: setting({
    type: path,
    defaultText: '`.run/<run>/signer/state.json` (`up`)',
    readBy: ['scripts', 'signer'],
    doc: "the signer's own file: the last record the gateway confirmed on disk and those signed since",
  }),
  TONEWALL_AUDIT_SIGNER_GROUP: setting({
    type: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$|^\d{1,10}$/, 'must be a group name or id'),
    readBy: ['signer'],
    doc: "the group the signer's socket is given (mode 0660): the gateway's user must be in it",
  }),
  TONEWALL_AUDIT_SHIP_TO: setting({
    type: hostPort,
    defaultText: 'off (`up` and `demo`: the rsyslog they start, `127.0.0.1:TONEWALL_AUDIT_RECEIVER_PORT`)',
    readBy: ['gateway', 'scripts'],
    doc: 'the off-host receiver every audit record is shipped to as it is written: syslog over TLS (RFC 5425, RFC 5424 messages, mutual TLS), HOST:PORT',
  }),
  TONEWALL_AUDIT_SHIP_CA: setting({
    type: path,
    default: 'ca.pem',
    readBy: ['gateway'],
    doc: "the CA the receiver's certificate must chain to (relative to `TONEWALL_KEYS_DIR`)",
  }),
  TONEWALL_AUDIT_SHIP_CERT: setting({
    type: path,
    default: 'gateway-client.pem',
    readBy: ['gateway'],
    doc: "the gateway's client certificate toward the receiver",
  }),
  TONEWALL_AUDIT_SHIP_KEY: setting({
    type: path,
    default: 'gateway-client.key',
    readBy: ['gateway'],
    doc: 'its private key',
  }),
  TONEWALL_AUDIT_RECEIVER_PORT: setting({
    type: integer(1, 65535),
    default: '6514',
    readBy: ['scripts'],
    doc: "the TLS syslog port of the rsyslog `up` starts on 127.0.0.1 as the audit log's receiver (its copy: `.run/<run>/audit-shipped/audit.log`)",
  }),
} as const;

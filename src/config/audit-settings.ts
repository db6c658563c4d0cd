import { isAbsolute, resolve } from 'node:path';
import { splitHostPort } from './host-port.js';

/**
 * The audit log's settings, built from the TONEWALL_AUDIT_* variables (declared in the settings
 * registry, src/config/registry/audit.ts; src/config/config.ts parses them and calls auditSettings).
 */
export interface AuditSettings {
  readonly directory: string;
  readonly signingKeyFile: string;
  /** The key the log was last signed with, to cross-sign a rotation to `signingKeyFile` (once). */
  readonly previousKeyFile: string | undefined;
  readonly maxFileBytes: number;
  readonly publicKeys: readonly string[];
  readonly scanPaths: readonly string[];
  /** The audit signer process's socket: the gateway then asks it to sign and reads no key file. */
  readonly signerSocket: string | undefined;
  /** Where records are shipped as they are written (syslog over mutual TLS), or undefined: not shipped. */
  readonly shipping: AuditShipping | undefined;
}

export interface AuditShipping {
  readonly host: string;
  readonly port: number;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

interface AuditEnvironment {
  readonly TONEWALL_ROOT?: string | undefined;
  readonly TONEWALL_KEYS_DIR: string;
  readonly TONEWALL_RUN_NAME?: string | undefined;
  readonly TONEWALL_AUDIT_DIR?: string | undefined;
  readonly TONEWALL_AUDIT_KEY: string;
  readonly TONEWALL_AUDIT_PREVIOUS_KEY?: string | undefined;
  readonly TONEWALL_AUDIT_MAX_FILE_BYTES: number;
  readonly TONEWALL_AUDIT_PUBLIC_KEYS?: string | undefined;
  readonly TONEWALL_AUDIT_SCAN_PATHS?: string | undefined;
  readonly TONEWALL_AUDIT_SHIP_TO?: string | undefined;
  readonly TONEWALL_AUDIT_SIGNER_SOCKET?: string | undefined;
  readonly TONEWALL_AUDIT_SHIP_CA: string;
  readonly TONEWALL_AUDIT_SHIP_CERT: string;
  readonly TONEWALL_AUDIT_SHIP_KEY: string;
}

function list(value: string, base: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
    .map((item) => resolve(base, item));
}

export function auditSettings(env: AuditEnvironment): AuditSettings {
  const root = resolve(env.TONEWALL_ROOT ?? '.');
  const keysDir = resolve(root, env.TONEWALL_KEYS_DIR);
  const runDir = resolve(root, '.run', env.TONEWALL_RUN_NAME ?? 'dev');
  const keyFile = (file: string) => (isAbsolute(file) ? file : resolve(keysDir, file));
  const directory = env.TONEWALL_AUDIT_DIR ? resolve(root, env.TONEWALL_AUDIT_DIR) : resolve(runDir, 'audit');
  return {
    directory,
    signingKeyFile: isAbsolute(env.TONEWALL_AUDIT_KEY)
      ? env.TONEWALL_AUDIT_KEY
      : resolve(keysDir, env.TONEWALL_AUDIT_KEY),
    previousKeyFile:
      env.TONEWALL_AUDIT_PREVIOUS_KEY === undefined
        ? undefined
        : isAbsolute(env.TONEWALL_AUDIT_PREVIOUS_KEY)
          ? env.TONEWALL_AUDIT_PREVIOUS_KEY
          : resolve(keysDir, env.TONEWALL_AUDIT_PREVIOUS_KEY),
    maxFileBytes: env.TONEWALL_AUDIT_MAX_FILE_BYTES,
    // the pinned keyring scripts/keys.ts keeps, never every key that sits in keys/
    publicKeys: env.TONEWALL_AUDIT_PUBLIC_KEYS
      ? list(env.TONEWALL_AUDIT_PUBLIC_KEYS, root)
      : [resolve(keysDir, 'audit-keyring.json')],
    scanPaths: env.TONEWALL_AUDIT_SCAN_PATHS ? list(env.TONEWALL_AUDIT_SCAN_PATHS, root) : [runDir],
    signerSocket:
      env.TONEWALL_AUDIT_SIGNER_SOCKET === undefined
        ? undefined
        : resolve(root, env.TONEWALL_AUDIT_SIGNER_SOCKET),
    shipping:
      env.TONEWALL_AUDIT_SHIP_TO === undefined
        ? undefined
        : {
            ...splitHostPort(env.TONEWALL_AUDIT_SHIP_TO),
            caFile: keyFile(env.TONEWALL_AUDIT_SHIP_CA),
            certFile: keyFile(env.TONEWALL_AUDIT_SHIP_CERT),
            keyFile: keyFile(env.TONEWALL_AUDIT_SHIP_KEY),
          },
  };
}

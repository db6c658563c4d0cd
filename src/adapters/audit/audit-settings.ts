import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The audit settings, as environment variables, for the one config schema (src/config/config.ts
 * spreads AUDIT_ENVIRONMENT into its strict schema and calls auditSettings).
 */
export const AUDIT_ENVIRONMENT = {
  /** The log directory; relative to TONEWALL_ROOT. Default `.run/<TONEWALL_RUN_NAME or dev>/audit`. */
  TONEWALL_AUDIT_DIR: z.string().min(1).max(4096).optional(),
  /** The Ed25519 signing key (PKCS#8 PEM); relative to TONEWALL_KEYS_DIR. */
  TONEWALL_AUDIT_KEY: z.string().min(1).max(4096).default('audit-signing.key'),
  /** A segment file rotates before it would grow past this many bytes (and at each UTC day). */
  TONEWALL_AUDIT_MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .min(4096)
    .max(1024 ** 3)
    .default(16 * 1024 * 1024),
  /** Public keys the served report verifies with (files/directories, comma-separated); default TONEWALL_KEYS_DIR. */
  TONEWALL_AUDIT_PUBLIC_KEYS: z.string().min(1).max(8192).optional(),
  /** What the served report's card-number scan reads (comma-separated); default the run directory. */
  TONEWALL_AUDIT_SCAN_PATHS: z.string().min(1).max(8192).optional(),
} as const;

export interface AuditSettings {
  readonly directory: string;
  readonly signingKeyFile: string;
  readonly maxFileBytes: number;
  readonly publicKeys: readonly string[];
  readonly scanPaths: readonly string[];
}

interface AuditEnvironment {
  readonly TONEWALL_ROOT?: string | undefined;
  readonly TONEWALL_KEYS_DIR: string;
  readonly TONEWALL_RUN_NAME?: string | undefined;
  readonly TONEWALL_AUDIT_DIR?: string | undefined;
  readonly TONEWALL_AUDIT_KEY: string;
  readonly TONEWALL_AUDIT_MAX_FILE_BYTES: number;
  readonly TONEWALL_AUDIT_PUBLIC_KEYS?: string | undefined;
  readonly TONEWALL_AUDIT_SCAN_PATHS?: string | undefined;
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
  const directory = env.TONEWALL_AUDIT_DIR ? resolve(root, env.TONEWALL_AUDIT_DIR) : resolve(runDir, 'audit');
  return {
    directory,
    signingKeyFile: isAbsolute(env.TONEWALL_AUDIT_KEY)
      ? env.TONEWALL_AUDIT_KEY
      : resolve(keysDir, env.TONEWALL_AUDIT_KEY),
    maxFileBytes: env.TONEWALL_AUDIT_MAX_FILE_BYTES,
    publicKeys: env.TONEWALL_AUDIT_PUBLIC_KEYS ? list(env.TONEWALL_AUDIT_PUBLIC_KEYS, root) : [keysDir],
    scanPaths: env.TONEWALL_AUDIT_SCAN_PATHS ? list(env.TONEWALL_AUDIT_SCAN_PATHS, root) : [runDir],
  };
}

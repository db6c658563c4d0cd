import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { GatewayError } from '../errors.js';
import { PROGRAM_SETTINGS, type ProgramLogLevel, programPath } from '../program-settings.js';

/** Every setting the sandbox reads besides TONEWALL_LOG_LEVEL, TONEWALL_ROOT and TONEWALL_KEYS_DIR. */
export const SANDBOX_SETTINGS = [
  'TONEWALL_SANDBOX_ADDR',
  'TONEWALL_SANDBOX_PORT',
  'TONEWALL_SANDBOX_CERT',
  'TONEWALL_SANDBOX_KEY',
  'TONEWALL_SANDBOX_CA',
  'TONEWALL_SANDBOX_DECRYPTION_KEYS',
  'TONEWALL_SANDBOX_HANG_MS',
] as const;

const path = programPath;

const sandboxSchema = z
  .object({
    ...PROGRAM_SETTINGS,
    TONEWALL_SANDBOX_ADDR: z.string().min(1).max(255).default('127.0.0.1'),
    TONEWALL_SANDBOX_PORT: z.coerce.number().int().min(0).max(65_535).default(8443),
    TONEWALL_SANDBOX_CERT: path.optional(),
    TONEWALL_SANDBOX_KEY: path.optional(),
    TONEWALL_SANDBOX_CA: path.optional(),
    /** Comma-separated private key files; by default every keys/processor-enc-N.key. */
    TONEWALL_SANDBOX_DECRYPTION_KEYS: z.string().min(1).optional(),
    TONEWALL_SANDBOX_HANG_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  })
  .strict();

export interface SandboxConfig {
  readonly logLevel: ProgramLogLevel;
  readonly host: string;
  readonly port: number;
  readonly keysDir: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
  /** Undefined: every processor-enc-N.key in keysDir. */
  readonly decryptionKeyFiles: readonly string[] | undefined;
  readonly hangMs: number;
}

const READ_ALWAYS = new Set(['TONEWALL_LOG_LEVEL', 'TONEWALL_ROOT', 'TONEWALL_KEYS_DIR']);

/**
 * Parses the sandbox's settings from `environment` once. Other TONEWALL_* variables belong to the
 * gateway and the stack and are ignored; an unknown TONEWALL_SANDBOX_* is a typo and is refused.
 * Relative paths resolve against TONEWALL_ROOT (or `cwd`); key files default to keys/.
 */
export function loadSandboxConfig(
  environment: Readonly<Record<string, string | undefined>>,
  cwd: string,
): SandboxConfig {
  const relevant = Object.fromEntries(
    Object.entries(environment).filter(
      ([name, value]) => value !== '' && (name.startsWith('TONEWALL_SANDBOX_') || READ_ALWAYS.has(name)),
    ),
  );
  const parsed = sandboxSchema.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown setting(s) ${issue.keys.join(', ')}`
        : `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new GatewayError('GW_ERR_CONFIG', `invalid sandbox configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  const root = env.TONEWALL_ROOT ?? cwd;
  const at = (file: string) => (isAbsolute(file) ? file : resolve(root, file));
  const keysDir = at(env.TONEWALL_KEYS_DIR ?? 'keys');
  const inKeys = (file: string | undefined, fallback: string) => (file ? at(file) : join(keysDir, fallback));
  return Object.freeze({
    logLevel: env.TONEWALL_LOG_LEVEL,
    host: env.TONEWALL_SANDBOX_ADDR,
    port: env.TONEWALL_SANDBOX_PORT,
    keysDir,
    certFile: inKeys(env.TONEWALL_SANDBOX_CERT, 'sandbox-server.pem'),
    keyFile: inKeys(env.TONEWALL_SANDBOX_KEY, 'sandbox-server.key'),
    caFile: inKeys(env.TONEWALL_SANDBOX_CA, 'ca.pem'),
    decryptionKeyFiles: env.TONEWALL_SANDBOX_DECRYPTION_KEYS?.split(',')
      .map((file) => file.trim())
      .filter((file) => file.length > 0)
      .map(at),
    hangMs: env.TONEWALL_SANDBOX_HANG_MS,
  });
}

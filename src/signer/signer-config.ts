import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { GatewayError } from '../errors.js';
import { PROGRAM_SETTINGS, type ProgramLogLevel, programPath } from '../program-settings.js';

/**
 * The audit signer's settings (a process of its own: src/signer/main.ts). It reads the signing key —
 * the gateway, given `TONEWALL_AUDIT_SIGNER_SOCKET`, never does — and keeps its chain state in a file
 * of its own.
 */
const path = programPath;

const signerSchema = z
  .object({
    ...PROGRAM_SETTINGS,
    TONEWALL_AUDIT_KEY: path.default('audit-signing.key'),
    TONEWALL_AUDIT_PREVIOUS_KEY: path.optional(),
    TONEWALL_AUDIT_SIGNER_SOCKET: path,
    TONEWALL_AUDIT_SIGNER_STATE: path,
    /** The group the socket is given (mode 0660): the gateway's user must be in it. */
    TONEWALL_AUDIT_SIGNER_GROUP: z
      .string()
      .regex(/^[a-z_][a-z0-9_-]{0,31}$|^\d{1,10}$/)
      .optional(),
  })
  .strict();

const SIGNER_SETTINGS = [
  'TONEWALL_AUDIT_KEY',
  'TONEWALL_AUDIT_PREVIOUS_KEY',
  'TONEWALL_AUDIT_SIGNER_SOCKET',
  'TONEWALL_AUDIT_SIGNER_STATE',
  'TONEWALL_AUDIT_SIGNER_GROUP',
] as const;

export interface SignerConfig {
  readonly logLevel: ProgramLogLevel;
  readonly keyFile: string;
  readonly previousKeyFile: string | undefined;
  readonly socketPath: string;
  readonly stateFile: string;
  readonly group: string | undefined;
}

const READ = new Set<string>([
  'TONEWALL_LOG_LEVEL',
  'TONEWALL_ROOT',
  'TONEWALL_KEYS_DIR',
  ...SIGNER_SETTINGS,
]);

/** Parses the signer's settings once; other TONEWALL_* variables are the gateway's and are ignored. */
export function loadSignerConfig(
  environment: Readonly<Record<string, string | undefined>>,
  cwd: string,
): SignerConfig {
  const relevant = Object.fromEntries(
    Object.entries(environment).filter(([name, value]) => value !== '' && READ.has(name)),
  );
  const parsed = signerSchema.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new GatewayError('GW_ERR_CONFIG', `invalid signer configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  const root = env.TONEWALL_ROOT ?? cwd;
  const at = (file: string) => (isAbsolute(file) ? file : resolve(root, file));
  const keysDir = at(env.TONEWALL_KEYS_DIR ?? 'keys');
  const inKeys = (file: string) => (isAbsolute(file) ? file : resolve(keysDir, file));
  return Object.freeze({
    logLevel: env.TONEWALL_LOG_LEVEL,
    keyFile: inKeys(env.TONEWALL_AUDIT_KEY),
    previousKeyFile:
      env.TONEWALL_AUDIT_PREVIOUS_KEY === undefined ? undefined : inKeys(env.TONEWALL_AUDIT_PREVIOUS_KEY),
    socketPath: at(env.TONEWALL_AUDIT_SIGNER_SOCKET),
    stateFile: at(env.TONEWALL_AUDIT_SIGNER_STATE),
    group: env.TONEWALL_AUDIT_SIGNER_GROUP,
  });
}

import { z } from 'zod';

/**
 * What the programs of their own (the sandbox processor, the audit signer) read besides their own
 * settings, parsed alike: the log level, the project root and the keys folder.
 */
export const programPath = z.string().min(1).max(4096);

export const PROGRAM_SETTINGS = {
  TONEWALL_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TONEWALL_ROOT: programPath.optional(),
  TONEWALL_KEYS_DIR: programPath.optional(),
};

export type ProgramLogLevel = z.infer<typeof PROGRAM_SETTINGS.TONEWALL_LOG_LEVEL>;

import { type DestinationStream, type Logger, pino } from 'pino';
import { isGatewayError } from './errors.js';

export type { Logger } from 'pino';

/**
 * Errors are logged by allow-list: name, code, retryable, message and stack. Our messages name
 * fields, never values; a foreign error's own enumerable properties (which could hold anything a
 * library attached) are not copied.
 */
function serializeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const out: Record<string, unknown> = {
    name: error.name,
    message: maskDigitRuns(error.message),
    stack: error.stack === undefined ? undefined : maskDigitRuns(error.stack),
  };
  if (isGatewayError(error)) {
    out.code = error.code;
    out.retryable = error.retryable;
  } else {
    const { code } = error as { code?: unknown };
    if (typeof code === 'string') out.code = code;
  }
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH)
    out.cause = serializeError(error.cause, depth + 1);
  return out;
}

const MAX_CAUSE_DEPTH = 4;

/**
 * Defence in depth: a foreign error's message may quote its input (Node's JSON SyntaxError does). Any
 * run of 12 or more digits, also split by spaces or dashes, is masked before it can reach a log line.
 */
export function maskDigitRuns(text: string): string {
  return text.replace(/\d(?:[ -]?\d){11,}/g, (run) => `[${run.replace(/\D/g, '').length} digits masked]`);
}

export interface LoggerOptions {
  level: string;
  /** Where lines go; standard output by default. Tests pass a sink to scan real output. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'tonewall' },
      serializers: { err: serializeError, error: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

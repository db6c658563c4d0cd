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

/**
 * Standard output gets lines in batches: up to 4 KiB or 100 ms, whichever comes first, instead of a
 * write per line (a write per DTMF report at debug level took ~5 % of the main thread at 150 paying
 * calls). pino flushes what is buffered when the process exits, also on an uncaught error; a SIGKILL
 * can lose the last 100 ms of lines (the audit log, synced per record, is the record that counts).
 */
const LOG_BUFFER_BYTES = 4096;
const LOG_FLUSH_MS = 100;

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'tonewall' },
      serializers: { err: serializeError, error: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ??
      pino.destination({ sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS }),
  );
}

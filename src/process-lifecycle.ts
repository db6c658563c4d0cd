import { isGatewayError } from './errors.js';
import type { Logger } from './logger.js';

/**
 * SIGTERM / SIGINT run `close` once, then exit 0 (1 when close fails) after the log is flushed.
 * Shared by the gateway and the sandbox processor entry points.
 */
export function stopOnSignals(logger: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    close()
      .then(() => logger.flush(() => process.exit(0)))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        logger.flush(() => process.exit(1));
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** For a start-up that failed before a logger existed: one line on stderr with the code, then exit 1. */
export function exitOnStartupFailure(program: string, error: unknown): never {
  const what = isGatewayError(error)
    ? `${error.code} ${error.message}`
    : String((error as Error)?.message ?? error);
  process.stderr.write(`${program}: start-up failed: ${what}\n`);
  process.exit(1);
}

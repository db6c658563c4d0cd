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

/**
 * A promise rejection nobody handled is a bug; it is logged (through the masking serializer) and the
 * process goes on, rather than Node 20's default of exiting mid-call with payments in flight.
 */
export function logUnhandledRejections(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason, code: 'GW_ERR_INTERNAL' }, 'unhandled promise rejection');
  });
}

/** For a start-up that failed before a logger existed: one line on stderr with the code, then exit 1. */
export function exitOnStartupFailure(program: string, error: unknown): never {
  const what = isGatewayError(error)
    ? `${error.code} ${error.message}`
    : String((error as Error)?.message ?? error);
  process.stderr.write(`${program}: start-up failed: ${what}\n`);
  process.exit(1);
}

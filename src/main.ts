import { createProcessorConnector } from './adapters/processors/create-connector.js';
import { loadConfig } from './config/config.js';
import { isGatewayError } from './errors.js';
import { startGateway } from './gateway.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    // No logger yet: the configuration names its own log level. The message names settings only.
    process.stderr.write(
      `tonewall: ${isGatewayError(error) ? error.message : 'configuration could not be read'}\n`,
    );
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger({ level: config.logLevel });
  const connector = await createProcessorConnector(config.processor, logger.child({ part: 'processor' }));
  const gateway = await startGateway({ config, logger, connector });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    gateway
      .close()
      .then(() => logger.flush(() => process.exit(0)))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        logger.flush(() => process.exit(1));
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `tonewall: start-up failed: ${isGatewayError(error) ? `${error.code} ${error.message}` : String((error as Error)?.message ?? error)}\n`,
  );
  process.exit(1);
});

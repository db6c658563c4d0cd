import { systemClock, systemTimers } from './application/clock.js';
import { createProcessorConnector } from './composition/create-connector.js';
import { startGateway } from './composition/start-gateway.js';
import { loadConfig } from './config/config.js';
import { checkKeyFiles } from './config/key-files.js';
import { isGatewayError } from './errors.js';
import { createLogger } from './logger.js';
import { exitOnStartupFailure, logUnhandledRejections, stopOnSignals } from './process-lifecycle.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
    // a key or certificate file that is missing, unreadable or wrong is bad configuration too
    await checkKeyFiles(config);
  } catch (error) {
    // No logger yet: the configuration names its own log level. The message names settings only.
    process.stderr.write(
      `tonewall: ${isGatewayError(error) ? error.message : 'configuration could not be read'}\n`,
    );
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger({ level: config.logLevel });
  const time = { clock: systemClock, timers: systemTimers };
  const connector = await createProcessorConnector(
    config.processor,
    logger.child({ part: 'processor' }),
    time,
  );
  const gateway = await startGateway({ config, logger, connector, ...time });

  logUnhandledRejections(logger);
  stopOnSignals(logger, () => gateway.close());
}

main().catch((error: unknown) => exitOnStartupFailure('tonewall', error));

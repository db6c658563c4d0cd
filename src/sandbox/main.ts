import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { GatewayError, isGatewayError } from '../errors.js';
import { createLogger } from '../logger.js';
import { exitOnStartupFailure, logUnhandledRejections, stopOnSignals } from '../process-lifecycle.js';
import { DecryptionKeyring } from './decryption-keyring.js';
import { loadSandboxConfig, type SandboxConfig } from './sandbox-config.js';
import { startSandboxServer } from './sandbox-server.js';

/** The sandbox processor as its own process: `node dist/sandbox/main.js` (settings: sandbox-config.ts). */

async function readPem(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new GatewayError(
      'GW_ERR_CONFIG',
      `${what} could not be read from ${file} (run: ./scripts/tonewall keys)`,
      {
        cause: error,
      },
    );
  }
}

async function decryptionKeyFiles(config: SandboxConfig): Promise<readonly string[]> {
  if (config.decryptionKeyFiles) return config.decryptionKeyFiles;
  const names = await readdir(config.keysDir).catch(() => [] as string[]);
  return names
    .filter((name) => /^processor-enc-\d+\.key$/.test(name))
    .sort()
    .map((name) => join(config.keysDir, name));
}

async function main(): Promise<void> {
  let config: SandboxConfig;
  try {
    config = loadSandboxConfig(process.env, process.cwd());
  } catch (error) {
    process.stderr.write(
      `tonewall-sandbox: ${isGatewayError(error) ? error.message : 'configuration could not be read'}\n`,
    );
    process.exit(78); // EX_CONFIG
  }
  const rootLogger = createLogger({ level: config.logLevel });
  // The app adds component=sandbox to its own lines; these are the process's.
  const logger = rootLogger.child({ component: 'sandbox' });
  const files = await decryptionKeyFiles(config);
  const keyring = await DecryptionKeyring.fromPems(
    await Promise.all(
      files.map(async (file) => ({ label: basename(file), pem: await readPem(file, 'decryption key') })),
    ),
  );
  const server = await startSandboxServer({
    host: config.host,
    port: config.port,
    tls: {
      cert: await readPem(config.certFile, 'sandbox server certificate'),
      key: await readPem(config.keyFile, 'sandbox server key'),
      ca: await readPem(config.caFile, 'CA certificate'),
    },
    keyring,
    logger: rootLogger,
    hangMs: config.hangMs,
  });
  logger.info({ url: server.tokensUrl, keyIds: keyring.keyIds }, 'sandbox processor listening');

  logUnhandledRejections(logger);
  stopOnSignals(logger, () => server.close());
}

main().catch((error: unknown) => exitOnStartupFailure('tonewall-sandbox', error));

import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GatewayError, isGatewayError } from '../errors.js';
import { createLogger } from '../logger.js';
import { exitOnStartupFailure, logUnhandledRejections, stopOnSignals } from '../process-lifecycle.js';
import { ChainSigner, signerKey } from './chain-signer.js';
import { loadSignerConfig, type SignerConfig } from './signer-config.js';
import { startSignerServer } from './signer-server.js';

/**
 * The audit signer as its own process: `node dist/signer/main.js` (settings: signer-config.ts). It
 * alone reads the signing key; run it under a user of its own, with the key file that user's alone
 * (mode 0600), and the gateway's user in the socket's group (TONEWALL_AUDIT_SIGNER_GROUP).
 */

async function readKey(file: string, what: string): Promise<KeyObject> {
  try {
    const key = createPrivateKey(await readFile(file));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not Ed25519');
    return key;
  } catch (error) {
    throw new GatewayError('GW_ERR_AUDIT_KEY', `${what} cannot be read as an Ed25519 private key`, {
      cause: error,
    });
  }
}

/** A group's id from its name (/etc/group) or number. */
async function groupId(group: string): Promise<number> {
  if (/^\d+$/.test(group)) return Number(group);
  const line = (await readFile('/etc/group', 'utf8'))
    .split('\n')
    .find((entry) => entry.startsWith(`${group}:`));
  const gid = line?.split(':')[2];
  if (gid === undefined)
    throw new GatewayError('GW_ERR_CONFIG', 'TONEWALL_AUDIT_SIGNER_GROUP names no group');
  return Number(gid);
}

async function main(): Promise<void> {
  let config: SignerConfig;
  try {
    config = loadSignerConfig(process.env, process.cwd());
  } catch (error) {
    process.stderr.write(
      `tonewall-signer: ${isGatewayError(error) ? error.message : 'configuration could not be read'}\n`,
    );
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger({ level: config.logLevel }).child({ component: 'signer' });
  const key = await signerKey(await readKey(config.keyFile, 'TONEWALL_AUDIT_KEY'));
  const previous =
    config.previousKeyFile === undefined
      ? undefined
      : await signerKey(await readKey(config.previousKeyFile, 'TONEWALL_AUDIT_PREVIOUS_KEY'));
  const signer = await ChainSigner.open({ key, previous, stateFile: config.stateFile });
  const server = await startSignerServer({
    socketPath: config.socketPath,
    gid: config.group === undefined ? undefined : await groupId(config.group),
    signer,
    logger,
  });
  logger.info(
    { kid: signer.kid, confirmed: signer.durableSeq ?? null, socket: config.socketPath },
    'audit signer listening',
  );
  logUnhandledRejections(logger);
  stopOnSignals(logger, async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

main().catch((error: unknown) => exitOnStartupFailure('tonewall-signer', error));

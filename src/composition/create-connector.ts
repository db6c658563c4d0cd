import { readFile } from 'node:fs/promises';
import { JweHttpsConnector } from '../adapters/processors/jwe-https-connector.js';
import type { Clock, Timers } from '../application/clock.js';
import type { ProcessorConnector } from '../application/payments/processor-connector.js';
import type { ProcessorSettings } from '../config/processor-settings.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';

/** What the composition root passes in, from Config; paths are absolute or relative to the cwd. */

async function readPem(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new GatewayError('GW_ERR_CONFIG', `${what} could not be read from ${file}`, { cause: error });
  }
}

/** Builds the configured connector, reading its key material once. */
export async function createProcessorConnector(
  settings: ProcessorSettings,
  logger: Logger,
  time: { readonly clock: Clock; readonly timers: Timers },
): Promise<ProcessorConnector> {
  if (settings.kind === 'stripe') {
    // loaded only when configured: the Stripe SDK is ~20 MiB of the gateway's memory
    const { StripeConnector } = await import('../adapters/processors/stripe-connector.js');
    return new StripeConnector({
      secretKey: settings.secretKey,
      attemptTimeoutMs: settings.attemptTimeoutMs,
      retry: settings.retry,
      ...time,
      logger,
    });
  }
  const [encryptionCertificate, cert, key, ca] = await Promise.all([
    readPem(settings.encryptionCertFile, 'processor encryption certificate'),
    readPem(settings.clientCertFile, 'processor client certificate'),
    readPem(settings.clientKeyFile, 'processor client key'),
    readPem(settings.caFile, 'processor CA certificate'),
  ]);
  return JweHttpsConnector.create({
    name: settings.kind,
    url: settings.url,
    encryptionCertificate,
    ...(settings.keyId === undefined ? {} : { keyId: settings.keyId }),
    tls: { cert, key, ca },
    attemptTimeoutMs: settings.attemptTimeoutMs,
    retry: settings.retry,
    ...time,
    logger,
  });
}

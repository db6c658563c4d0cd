import { readFile } from 'node:fs/promises';
import { AuditShipper } from '../adapters/audit/audit-shipper.js';
import { SyslogTlsSender } from '../adapters/audit/syslog-tls-sender.js';
import type { AuditSettings } from '../config/audit-settings.js';
import type { HealthProbe } from '../delivery/http/health-routes.js';
import type { Logger } from '../logger.js';

/** Follows the log's files; a new record is on its way within this long. */
const POLL_MS = 200;

/**
 * Ships the audit log to the receiver `settings.shipping` names (syslog over mutual TLS), or does
 * nothing when none is configured. The key files were checked at start-up (config/key-files.ts).
 */
export async function startAuditShipping(options: {
  readonly settings: AuditSettings;
  readonly clock: { now(): number };
  readonly logger: Logger;
}): Promise<AuditShipper | undefined> {
  const shipping = options.settings.shipping;
  if (!shipping) return undefined;
  const [ca, cert, key] = await Promise.all([
    readFile(shipping.caFile),
    readFile(shipping.certFile),
    readFile(shipping.keyFile),
  ]);
  const shipper = new AuditShipper({
    directory: options.settings.directory,
    sender: new SyslogTlsSender({
      host: shipping.host,
      port: shipping.port,
      ca,
      cert,
      key,
      appName: 'tonewall',
      msgId: 'audit',
      connectTimeoutMs: 5000,
      now: () => options.clock.now(),
    }),
    logger: options.logger,
    pollMs: POLL_MS,
    retryMs: 1000,
    maxRetryMs: 30_000,
  });
  shipper.start();
  options.logger.info({ to: `${shipping.host}:${shipping.port}` }, 'audit shipping on');
  return shipper;
}

/** `/healthz`'s `auditShipping`: down while sends fail (payments go on; the local log keeps every record). */
export function shippingHealth(shipper: AuditShipper): HealthProbe {
  return () =>
    shipper.status.state === 'shipping'
      ? { status: 'up' }
      : { status: 'down', detail: 'retrying; the local log keeps every record' };
}

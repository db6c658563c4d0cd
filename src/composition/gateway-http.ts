import type { Server } from 'node:http';
import { join } from 'node:path';
import { buildAuditReport } from '../adapters/audit/audit-report.js';
import { KamailioAgentAssigner } from '../adapters/kamailio/kamailio-agent-assigner.js';
import type { GatewayMetrics } from '../adapters/metrics/gateway-metrics.js';
import type { SessionRecords } from '../application/access/session-records.js';
import type { AuditTrail } from '../application/audit/audit-trail.js';
import { AgentAssignment } from '../application/calls/agent-assignment.js';
import type { CallRegistry } from '../application/calls/call-registry.js';
import type { Clock } from '../application/clock.js';
import type { PaymentService } from '../application/payments/payment-service.js';
import type { Config } from '../config/config.js';
import { createHttpApp, type HttpAppOptions } from '../delivery/http/app.js';
import { listenHttp } from '../delivery/http/http-server.js';
import type { Logger } from '../logger.js';
import { createHttpAccess } from './create-http-access.js';

/** The API, the agent UI, /metrics and /healthz of one gateway, listening. */
export async function serveGatewayHttp(parts: {
  config: Config;
  logger: Logger;
  registry: CallRegistry;
  payments: PaymentService;
  audit: AuditTrail;
  metrics: GatewayMetrics;
  webhooksEnabled: boolean;
  clock: Clock;
  /** Shared sessions (TONEWALL_STATE_STORE=redis); undefined: in memory. */
  sessionRecords: SessionRecords | undefined;
  health: HttpAppOptions['health'];
}): Promise<{ server: Server; url: string }> {
  const { config, logger, audit } = parts;
  const app = createHttpApp({
    logger,
    registry: parts.registry,
    payments: parts.payments,
    access: createHttpAccess({
      settings: config.access,
      logger: logger.child({ part: 'access' }),
      clock: parts.clock,
      ...(parts.sessionRecords ? { sessionRecords: parts.sessionRecords } : {}),
    }),
    clock: parts.clock,
    webhooksEnabled: parts.webhooksEnabled,
    metrics: { metrics: parts.metrics, token: config.metricsToken },
    recordAction: (action) => audit.recordAction(action),
    recordAuth: (event) => audit.recordAuth(event),
    auditReport: ({ from, to }) =>
      buildAuditReport({
        logPaths: [config.audit.directory],
        publicKeys: config.audit.publicKeys,
        scanPaths: config.audit.scanPaths,
        // masking-check writes its signed results beside the audit log (.run/<run>/masking-check)
        maskingEvidenceDirs: [join(config.audit.directory, '..', 'masking-check')],
        from,
        to,
      }),
    health: parts.health,
    agents: new AgentAssignment({
      registry: parts.registry,
      port: new KamailioAgentAssigner({
        rpcUrl: config.kamailio.rpcUrl,
        timeoutMs: config.kamailio.rpcTimeoutMs,
      }),
    }),
  });
  return listenHttp(app, { host: config.http.host, port: config.http.port, tls: config.access.tls });
}

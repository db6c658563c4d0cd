import express, { type Express, type RequestHandler } from 'express';
import type { AgentAssignment } from '../../application/calls/agent-assignment.js';
import type { CallRegistry } from '../../application/calls/call-registry.js';
import type { Clock } from '../../application/clock.js';
import { OrderBook } from '../../application/payments/order-book.js';
import type { PaymentService } from '../../application/payments/payment-service.js';
import type { Logger } from '../../logger.js';
import type { RecordAction } from './audit-actions.js';
import { type AuditReportSource, auditRoutes } from './audit-routes.js';
import { AuthEvents, type RecordAuth } from './auth-events.js';
import { authenticate } from './authenticate.js';
import { callsRoutes } from './calls-routes.js';
import { csrfProtection } from './csrf.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { type HealthProbe, healthRoutes } from './health-routes.js';
import type { HttpAccess } from './http-access.js';
import { type MetricsSource, metricsRoutes } from './metrics-routes.js';
import { openApiRoutes } from './openapi.js';
import { ordersRoutes } from './orders-routes.js';
import { paymentsRoutes } from './payments-routes.js';
import { requestId } from './request-id.js';
import { securityHeaders } from './security-headers.js';
import { sessionRoutes } from './session-routes.js';
import { StreamGuard } from './stream-guard.js';
import { uiRoutes } from './ui-routes.js';

export interface HttpAppOptions {
  /** Request times, sessions, the audit report's default range. */
  clock: Clock;
  logger: Logger;
  registry: CallRegistry;
  payments: PaymentService;
  /** Who may call (src/composition/create-http-access.ts). */
  access: HttpAccess;
  /** False when no webhook secret is configured: a statusCallback is then refused. */
  webhooksEnabled: boolean;
  health: Readonly<Record<string, HealthProbe>>;
  /** Serves `GET /v1/audit/report` to auditors once the audit trail provides it. */
  auditReport?: AuditReportSource;
  /** Records API actions in the audit trail before they are acknowledged. */
  recordAction?: RecordAction;
  /** Records authentication and authorisation events (every one is also logged). */
  recordAuth?: RecordAuth;
  /** Serves `GET /metrics` (bearer: the metrics token or an integration key). */
  metrics?: { readonly metrics: MetricsSource; readonly token: string | undefined };
  /** How often an open event stream's credentials are checked, ms (default 5000). */
  streamCheckMs?: number;
  /** The agent desktop's files; src/delivery/ui by default. */
  uiDirectory?: string;
  /** Integrations' orders on calls (a new book when not given). */
  orders?: OrderBook;
  /** Names a call's agent through the call path (PUT /v1/calls/{id}/agent); absent: not served. */
  agents?: AgentAssignment;
}

const noStore: RequestHandler = (_request, response, next) => {
  response.setHeader('cache-control', 'no-store');
  next();
};

export function createHttpApp(options: HttpAppOptions): Express {
  const { access } = options;
  const board = options.payments.board;
  const orders = options.orders ?? new OrderBook({ clock: options.clock, payments: options.payments });
  const authEvents = new AuthEvents({
    logger: options.logger,
    ...(options.recordAuth ? { record: options.recordAuth } : {}),
  });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Behind a TLS proxy: the client's address, scheme and host come from its X-Forwarded-* headers
  // (throttling, audit sources and the same-origin check use them); nobody else's are believed.
  app.set('trust proxy', access.trustProxy ? [...access.trustProxy] : false);
  app.use(requestId(options.logger, options.clock));
  app.use(securityHeaders({ tls: access.secureCookies }));
  app.use(healthRoutes(options.health));
  if (options.metrics) {
    app.use(
      metricsRoutes(options.metrics.metrics, {
        token: options.metrics.token,
        integrationKeys: access.integrationKeys,
      }),
    );
  }
  app.use(uiRoutes(options.uiDirectory));
  app.use(openApiRoutes());
  app.use('/v1', noStore, authenticate(access), csrfProtection);
  app.use(sessionRoutes(access, authEvents));
  // no compressed bodies: nothing to inflate, no zip bomb, and zlib's errors never reach the handler
  app.use(express.json({ limit: '16kb', strict: true, inflate: false }));
  app.use(
    callsRoutes(options.registry, {
      ...(options.agents ? { agents: options.agents } : {}),
      ...(options.recordAction ? { recordAction: options.recordAction } : {}),
    }),
  );
  app.use(
    paymentsRoutes(options.payments, {
      registry: options.registry,
      board,
      webhooksEnabled: options.webhooksEnabled,
      agentLimits: access.agentLimits,
      orders,
      streamGuard: new StreamGuard({
        access,
        authEvents,
        clock: options.clock,
        ...(options.streamCheckMs === undefined ? {} : { checkMs: options.streamCheckMs }),
      }),
      ...(options.recordAction ? { recordAction: options.recordAction } : {}),
    }),
  );
  app.use(
    ordersRoutes({
      registry: options.registry,
      orders,
      webhooksEnabled: options.webhooksEnabled,
      ...(options.recordAction ? { recordAction: options.recordAction } : {}),
    }),
  );
  app.use(auditRoutes(options.clock, options.auditReport, options.recordAction));
  app.use(notFoundHandler);
  app.use(errorHandler(options.logger, authEvents));
  return app;
}

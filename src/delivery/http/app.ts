import express, { type Express } from 'express';
import type { CallRegistry } from '../../application/call-registry.js';
import type { PaymentService } from '../../application/payments/payment-service.js';
import type { Logger } from '../../logger.js';
import { authenticate } from './authenticate.js';
import { callsRoutes } from './calls-routes.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { type HealthProbe, healthRoutes } from './health-routes.js';
import { paymentsRoutes } from './payments-routes.js';

export interface HttpAppOptions {
  logger: Logger;
  registry: CallRegistry;
  payments: PaymentService;
  integrationKeys: readonly string[];
  /** False when no webhook secret is configured: a statusCallback is then refused. */
  webhooksEnabled: boolean;
  health: Readonly<Record<string, HealthProbe>>;
}

export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(healthRoutes(options.health));
  app.use('/v1', authenticate({ integrationKeys: options.integrationKeys }));
  app.use(express.json({ limit: '16kb', strict: true }));
  app.use(callsRoutes(options.registry));
  app.use(paymentsRoutes(options.payments, { webhooksEnabled: options.webhooksEnabled }));
  app.use(notFoundHandler);
  app.use(errorHandler(options.logger));
  return app;
}

/**
 * What the in-process HTTP and DTMF tests build instead of the whole gateway (src/composition/start-gateway.ts): a call
 * registry and a payment service on a scripted processor connector (no prompts, the system clock),
 * and an app listening on 127.0.0.1, port 0.
 *
 *   const { registry, connector, payments } = paymentCore(logs.logger);
 *   const listening = await listenOnLoopback(createHttpApp({ … registry, payments … }));
 *   fetch(`${listening.base}/v1/calls`); …; await listening.close();
 */
import type { Server } from 'node:http';
import type { Express } from 'express';
import { MemorySessionRecords } from '../../src/adapters/store/memory-session-records.js';
import { IntegrationKeys } from '../../src/application/access/integration-keys.js';
import { CallRegistry } from '../../src/application/calls/call-registry.js';
import type { Clock } from '../../src/application/clock.js';
import { systemClock, systemTimers } from '../../src/application/clock.js';
import { noPrompts } from '../../src/application/payments/payment-ports.js';
import { PaymentService } from '../../src/application/payments/payment-service.js';
import type { HttpAccess } from '../../src/delivery/http/http-access.js';
import { SessionStore } from '../../src/delivery/http/session-store.js';
import { SCOPES } from '../../src/domain/access/scopes.js';
import { sha256Hex } from '../../src/domain/sha256.js';
import type { Logger } from '../../src/logger.js';
import { ScriptedConnector } from './scripted-connector.js';

export interface PaymentCore {
  readonly registry: CallRegistry;
  /** Answers every tokenisation with success unless a test scripts `answer`. */
  readonly connector: ScriptedConnector;
  readonly payments: PaymentService;
}

export function paymentCore(logger: Logger): PaymentCore {
  const registry = new CallRegistry();
  const connector = new ScriptedConnector();
  const payments = new PaymentService({
    registry,
    connector,
    prompts: noPrompts,
    clock: systemClock,
    timers: systemTimers,
    logger,
  });
  return { registry, connector, payments };
}

/** Access by integration keys only (no users, no IdP): what the HTTP contract tests call with. */
export function keysOnlyAccess(keys: readonly string[], clock: Clock = systemClock): HttpAccess {
  return {
    integrationKeys: new IntegrationKeys(
      keys.map((key, index) => ({ name: `key-${index + 1}`, sha256: sha256Hex(key), scopes: [...SCOPES] })),
      clock,
    ),
    users: undefined,
    jwt: undefined,
    sessions: new SessionStore({
      idleMs: 900_000,
      absoluteMs: 43_200_000,
      clock,
      records: new MemorySessionRecords({ now: () => clock.now() }),
    }),
    secureCookies: false,
    trustProxy: undefined,
    signIn: { maxAttempts: 5, windowMs: 900_000 },
    agentLimits: { maxAmount: '500.00', currencies: ['gbp'] },
  };
}

export interface ListeningApp {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** Stops listening and ends kept-alive connections (an open SSE stream included). */
  close(): Promise<void>;
}

export async function listenOnLoopback(app: Express): Promise<ListeningApp> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    base: `http://127.0.0.1:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

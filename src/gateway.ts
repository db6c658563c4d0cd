import type { Server } from 'node:http';
import { EvapiClient } from './adapters/kamailio/evapi-client.js';
import { JsonRpcClient } from './adapters/kamailio/jsonrpc-client.js';
import { DtmfListener } from './adapters/rtpengine/dtmf-listener.js';
import { NgClient } from './adapters/rtpengine/ng-client.js';
import { CallRegistry } from './application/call-registry.js';
import { CallSync } from './application/call-sync.js';
import { type CustomerKeySink, DtmfRouter } from './application/dtmf-router.js';
import type { Config } from './config/config.js';
import { createHttpApp } from './delivery/http/app.js';
import type { Logger } from './logger.js';

export interface GatewayOptions {
  config: Config;
  logger: Logger;
  /** Receives every customer key (payments will own it); the default drops keys. */
  keySink?: CustomerKeySink;
}

export interface RunningGateway {
  readonly registry: CallRegistry;
  readonly router: DtmfRouter;
  readonly dtmf: DtmfListener;
  readonly ng: NgClient;
  readonly evapi: EvapiClient;
  readonly callSync: CallSync;
  /** Where the HTTP API listens, e.g. http://127.0.0.1:8080 */
  readonly httpUrl: string;
  readonly dtmfPort: number;
  close(): Promise<void>;
}

const dropKeys: CustomerKeySink = { onCustomerKey: () => {} };

/** Builds every object of the gateway and starts it. The composition root; main.ts only adds signals. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  const registry = new CallRegistry();
  registry.onChange((change) => {
    if (change.type === 'added')
      logger.info({ callId: change.call.id, direction: change.call.direction }, 'call active');
    else logger.info({ callId: change.call.id, reason: change.reason }, 'call ended');
  });

  const router = new DtmfRouter({
    registry,
    sink: options.keySink ?? dropKeys,
    logger: logger.child({ part: 'dtmf' }),
  });
  const dtmf = new DtmfListener({
    host: config.dtmf.host,
    port: config.dtmf.port,
    allowedSources: config.dtmf.allowedSources,
    logger: logger.child({ part: 'dtmf' }),
    onEvent: (event) => router.route(event),
  });
  const dtmfPort = await dtmf.start();

  const ng = await NgClient.open({
    host: config.rtpengine.ngHost,
    port: config.rtpengine.ngPort,
    timeoutMs: config.rtpengine.ngTimeoutMs,
    retries: config.rtpengine.ngRetries,
    logger: logger.child({ part: 'ng' }),
  });

  const rpc = new JsonRpcClient({ url: config.kamailio.rpcUrl, timeoutMs: config.kamailio.rpcTimeoutMs });
  const callSync = new CallSync({ rpc, registry, logger: logger.child({ part: 'call-sync' }) });
  const evapi = new EvapiClient({
    host: config.kamailio.evapiHost,
    port: config.kamailio.evapiPort,
    reconnectMs: config.kamailio.evapiReconnectMs,
    logger: logger.child({ part: 'evapi' }),
    onConnected: () => void callSync.resync(),
    onEvent: (event) => {
      if (event.event === 'call-answered') registry.answered(event);
      else registry.ended(event.callId, event.reason);
    },
  });
  evapi.start();

  const app = createHttpApp({
    logger,
    registry,
    integrationKeys: config.apiKey ? [config.apiKey] : [],
    health: {
      kamailio: () =>
        evapi.connected ? { status: 'up' } : { status: 'down', detail: 'evapi not connected' },
      rtpengine: async () => {
        await ng.ping();
        return { status: 'up' };
      },
      dtmf: () => ({ status: 'up' }),
    },
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.http.port, config.http.host, () => resolve(listening));
    listening.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const httpUrl = `http://${config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${port}`;
  logger.info({ httpUrl, dtmfPort }, 'tonewall gateway started');

  return {
    registry,
    router,
    dtmf,
    ng,
    evapi,
    callSync,
    httpUrl,
    dtmfPort,
    async close() {
      evapi.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await dtmf.close();
      await ng.close();
    },
  };
}

import { EvapiClient } from '../adapters/kamailio/evapi-client.js';
import { JsonRpcClient } from '../adapters/kamailio/jsonrpc-client.js';
import { KamailioDialogs } from '../adapters/kamailio/kamailio-dialogs.js';
import { GatewayMetrics } from '../adapters/metrics/gateway-metrics.js';
import { GuardedConnector } from '../adapters/processors/guarded-connector.js';
import { RtpengineCaptureMute } from '../adapters/rtpengine/capture-mute.js';
import { DtmfListener } from '../adapters/rtpengine/dtmf-listener.js';
import type { NgClient } from '../adapters/rtpengine/ng-client.js';
import { ReportPathProbe } from '../adapters/rtpengine/report-path-probe.js';
import type { AuditTrail } from '../application/audit/audit-trail.js';
import { CallRegistry } from '../application/calls/call-registry.js';
import { CallSync } from '../application/calls/call-sync.js';
import type { Clock, Timers } from '../application/clock.js';
import { CaptureMasking } from '../application/media/capture-masking.js';
import { DtmfRouter } from '../application/media/dtmf-router.js';
import { ChargeReconciler } from '../application/payments/charge-reconciler.js';
import { PaymentService } from '../application/payments/payment-service.js';
import type { ProcessorConnector } from '../application/payments/processor-connector.js';
import type { Config } from '../config/config.js';
import { isTerminalStatus } from '../domain/capture/capture-types.js';
import type { Logger } from '../logger.js';
import { customerPrompts } from './customer-prompts.js';
import { serveGatewayHttp } from './gateway-http.js';
import { logCallChange } from './log-call-changes.js';
import { openMediaEngines, timedNg } from './media-engines.js';
import { openAuditTrail } from './open-audit-trail.js';
import { openPaymentState } from './open-payment-state.js';
import { shippingHealth, startAuditShipping } from './start-audit-shipping.js';
import { startLoadShedding } from './start-load-shedding.js';
import { callbackCheck, startWebhooks } from './start-webhooks.js';
import { warnTakeableDtmfPorts } from './warn-takeable-dtmf-ports.js';

export interface GatewayOptions {
  config: Config;
  logger: Logger;
  /** The processor connector payments tokenise with (main.ts builds it from the configuration). */
  connector: ProcessorConnector;
  /** The one clock and timers every part reads time from (src/application/clock.ts). */
  clock: Clock;
  timers: Timers;
}

export interface RunningGateway {
  readonly registry: CallRegistry;
  readonly router: DtmfRouter;
  readonly payments: PaymentService;
  readonly dtmf: DtmfListener;
  readonly ng: NgClient;
  readonly evapi: EvapiClient;
  readonly callSync: CallSync;
  readonly audit: AuditTrail;
  readonly metrics: GatewayMetrics;
  /** Where the HTTP API listens, e.g. http://127.0.0.1:8080 */
  readonly httpUrl: string;
  readonly dtmfPort: number;
  /**
   * A clean stop: no new connections, payments or agent actions; payments still capturing end as
   * internal-error (their digits zeroed); tokenisations in flight finish; then every socket closes.
   */
  close(): Promise<void>;
}

/** Builds every object of the gateway and starts it. The composition root; main.ts adds config and signals. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, logger, clock, timers } = options;
  const registry = new CallRegistry();
  registry.onChange((change) => logCallChange(logger, change));

  const engines = await openMediaEngines(config, logger, clock);
  const { ng, muteNg } = engines;
  let metrics: GatewayMetrics | undefined;
  const timed = timedNg(
    (command, result, seconds) => metrics?.observeNg(command, result, seconds),
    () => clock.monotonic(),
  );
  const connector = new GuardedConnector({
    connector: options.connector,
    breaker: config.processorBreaker,
    clock,
    logger: logger.child({ part: 'processor' }),
    observe: (outcome, seconds) => metrics?.observeProcessor(options.connector.name, outcome, seconds),
  });

  // Opened before anything can happen, so the first call event already has its record.
  const audit = await openAuditTrail({
    settings: config.audit,
    clock,
    logger: logger.child({ part: 'audit' }),
  });
  const shipper = await startAuditShipping({
    settings: config.audit,
    clock,
    logger: logger.child({ part: 'audit-shipping' }),
  });
  const paymentState = await openPaymentState(config, clock, logger);
  const { statusStore, idempotencyLedger, charges, chains } = paymentState;
  /** Set once the DTMF listener runs (below): whether it still receives reports. */
  let dtmfReceiving: (() => boolean) | undefined;
  const prompts = customerPrompts(config, ng, timed, logger);
  const shedding = startLoadShedding(config.loadShedding, timers, logger.child({ part: 'payments' }));
  const payments: PaymentService = new PaymentService({
    registry,
    statusStore,
    idempotencyLedger,
    charges,
    // no audit, no payment: while records cannot be written, no new payment starts; nor while the
    // DTMF reports cannot be received (the customer's keys would go nowhere)
    admission: () => {
      if (!audit.healthy) return 'GW_ERR_AUDIT_WRITE';
      if (dtmfReceiving && !dtmfReceiving()) return 'GW_ERR_DTMF_SOCKET';
      if (shedding.refuses(payments.board.inProgress)) return 'GW_ERR_OVERLOADED';
      return undefined;
    },
    checkCallback: callbackCheck(config.webhooks),
    checkChain: chains && ((call) => chains.check(call)),
    connector,
    prompts: prompts.player,
    clock,
    timers,
    logger: logger.child({ part: 'payments' }),
  });
  audit.follow({ registry, payments });
  const reconciler = new ChargeReconciler({
    ...config.reconcile,
    charges,
    connector,
    payments,
    durable: () => statusStore.flush(),
    record: (action) => audit.recordAction(action),
    clock,
    timers,
    logger: logger.child({ part: 'reconcile' }),
  });
  reconciler.start();
  const captureMasking = new CaptureMasking({
    port: new RtpengineCaptureMute({ ng: muteNg }),
    registry,
    timers,
    unmuteDelayMs: config.rtpengine.unmuteDelayMs,
    logger: logger.child({ part: 'capture-masking' }),
  });
  payments.onUpdate((update) => captureMasking.onUpdate(update));
  const webhooks = startWebhooks({
    settings: config.webhooks,
    db: paymentState.db,
    shared: paymentState.callbacks,
    payments,
    ended: paymentState.ended,
    clock,
    timers,
    logger: logger.child({ part: 'webhooks' }),
  });

  const router = new DtmfRouter({ registry, sink: payments, logger: logger.child({ part: 'dtmf' }) });
  // One call of its own into each rtpengine once the listener is up: proves the reports arrive, and
  // sheds the report rtpengine loses after sending while no gateway listened (report-path-probe.ts).
  const reportProbe = new ReportPathProbe({
    hops: engines.probedHops,
    timers,
    logger: logger.child({ part: 'dtmf-report-path' }),
  });
  const dtmf = new DtmfListener({
    host: config.dtmf.host,
    port: config.dtmf.port,
    tonesPort: config.dtmf.tonesPort,
    allowedSources: config.dtmf.allowedSources,
    logger: logger.child({ part: 'dtmf' }),
    clock,
    onEvent: (event) => {
      if (!reportProbe.claims(event.sipCallId)) router.route(event);
    },
  });
  const dtmfPort = await dtmf.start();
  await warnTakeableDtmfPorts([config.dtmf.port, config.dtmf.tonesPort], logger);
  dtmfReceiving = () => dtmf.running;
  // the first round before the API opens (payments start there), at most 2 s
  await reportProbe.start();

  const rpc = new JsonRpcClient({ url: config.kamailio.rpcUrl, timeoutMs: config.kamailio.rpcTimeoutMs });
  const callSync = new CallSync({
    source: new KamailioDialogs(rpc),
    registry,
    logger: logger.child({ part: 'call-sync' }),
  });
  const evapi = new EvapiClient({
    host: config.kamailio.evapiHost,
    port: config.kamailio.evapiPort,
    reconnectMs: config.kamailio.evapiReconnectMs,
    logger: logger.child({ part: 'evapi' }),
    onConnected: () => void callSync.resync(),
    onEvent: (event) => {
      if (event.event === 'call-answered') registry.answered(event);
      else if (event.event === 'call-agent') registry.agentConnected(event.callId, event, event.via ?? 'sip');
      else registry.ended(event.callId, event.reason);
    },
  });
  evapi.start();

  metrics = new GatewayMetrics({
    calls: () => registry.list(),
    paymentsActive: () => payments.activeCount,
    dtmf: () => {
      const heard = dtmf.stats;
      const routed = router.stats;
      return {
        accepted: heard.accepted,
        duplicate: heard.duplicates,
        'dropped-source': heard.droppedSource,
        overflow: heard.overflow,
        malformed: heard.malformed,
        'agent-ignored': routed.agentIgnored,
        'unknown-call': routed.unknownCall,
        'unknown-tag': routed.unknownTag,
      };
    },
    evapiConnected: () => evapi.connected,
    auditHealthy: () => audit.healthy,
    processorBreaker: () => connector.breaker,
  });
  const gatewayMetrics = metrics;
  payments.onUpdate(({ view }) => {
    if (isTerminalStatus(view.status) && view.result) {
      gatewayMetrics.paymentEnded(view.result.outcome);
    }
  });

  const { server, url: httpUrl } = await serveGatewayHttp({
    config,
    logger,
    registry,
    payments,
    audit,
    metrics,
    webhooksEnabled: webhooks !== undefined,
    clock,
    sessionRecords: paymentState.sessionRecords,
    health: {
      kamailio: () =>
        evapi.connected ? { status: 'up' } : { status: 'down', detail: 'evapi not connected' },
      rtpengine: async () => {
        const down: string[] = [];
        await Promise.all(
          engines.healthNg.map(({ hop, ng: probe }) =>
            timed('ping', () => probe.ping()).catch(() => {
              down.push(hop);
            }),
          ),
        );
        return down.length === 0
          ? { status: 'up' }
          : { status: 'down', detail: `no answer from the ${down.sort().join(', ')} rtpengine` };
      },
      dtmf: () =>
        dtmf.running ? { status: 'up' } : { status: 'down', detail: 'DTMF reports cannot be received' },
      audit: () => (audit.healthy ? { status: 'up' } : { status: 'down', detail: 'audit log write failed' }),
      ...(shipper ? { auditShipping: shippingHealth(shipper) } : {}),
      processor: () =>
        connector.breaker === 'open' ? { status: 'down', detail: 'circuit breaker open' } : { status: 'up' },
      ...prompts.health,
      ...paymentState.health,
    },
  });
  logger.info({ httpUrl, dtmfPort, connector: options.connector.name }, 'tonewall gateway started');

  return {
    registry,
    router,
    payments,
    dtmf,
    ng,
    evapi,
    callSync,
    audit,
    metrics,
    httpUrl,
    dtmfPort,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // first, and at once: a callback in flight is aborted, what is unsent stays queued for the next run
      await webhooks?.stop();
      reportProbe.stop();
      shedding.stop();
      await dtmf.close();
      await payments.stop();
      await reconciler.stop();
      // the payments just ended let their calls' audio through again: sent before the NG sockets close
      await captureMasking.settled();
      evapi.stop();
      await audit.close();
      // after the close: its last record (log.closed) goes too
      await shipper?.stop();
      server.closeAllConnections();
      await closed;
      await engines.close();
      await connector.close();
      await paymentState.close();
    },
  };
}

/**
 * The gateway started inside the test process (src/composition/start-gateway.ts) on the test stack's default ports,
 * with a recorder on the DTMF router's sink: the exact sequence of customer keys per call, which the
 * gateway itself never exposes. Logs go to a capture at trace level, for the no-digits scans.
 */

import type { Call } from '../../src/application/calls/call-registry.js';
import { systemClock, systemTimers } from '../../src/application/clock.js';
import { type RunningGateway, startGateway } from '../../src/composition/start-gateway.js';
import { loadConfig } from '../../src/config/config.js';
import type { KeypadKey } from '../../src/domain/capture/keypad.js';
import { GatewayApi } from './gateway-api.js';
import { captureLogs } from './log-capture.js';
import { ScriptedConnector } from './scripted-connector.js';
import { TEST_API_KEY, testGatewayEnv } from './test-run.js';

/** One customer key as the router handed it to the payment service. */
export interface RecordedKey {
  readonly sipCallId: string;
  readonly callId: string;
  readonly key: KeypadKey;
  /** performance.now() when it arrived. */
  readonly atMs: number;
}

export interface InProcessGateway {
  readonly gateway: RunningGateway;
  readonly api: GatewayApi;
  readonly logs: ReturnType<typeof captureLogs>;
  /** Every customer key routed, in arrival order. */
  readonly keys: RecordedKey[];
  /** The keys of one call as a string (`'123#'`). */
  keysOf(sipCallId: string): string;
  close(): Promise<void>;
}

export async function startInProcessGateway(
  env: Readonly<Record<string, string>> = {},
): Promise<InProcessGateway> {
  const logs = captureLogs('trace');
  const config = loadConfig(testGatewayEnv({ TONEWALL_HTTP_PORT: '0', ...env }));
  const gateway = await startGateway({
    config,
    logger: logs.logger,
    connector: new ScriptedConnector(),
    clock: systemClock,
    timers: systemTimers,
  });
  const keys: RecordedKey[] = [];
  // The router calls its sink (the payment service) per customer key: record, then pass on.
  const payments = gateway.payments;
  const onCustomerKey = payments.onCustomerKey.bind(payments);
  payments.onCustomerKey = (call: Call, key: KeypadKey) => {
    keys.push({ sipCallId: call.sipCallId, callId: call.id, key, atMs: performance.now() });
    onCustomerKey(call, key);
  };
  return {
    gateway,
    api: new GatewayApi(gateway.httpUrl, TEST_API_KEY),
    logs,
    keys,
    keysOf: (sipCallId) =>
      keys
        .filter((recorded) => recorded.sipCallId === sipCallId)
        .map((recorded) => recorded.key)
        .join(''),
    close: () => gateway.close(),
  };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DTMF_RESULTS, GatewayMetrics } from '../../src/adapters/metrics/gateway-metrics.js';
import { systemClock } from '../../src/application/clock.js';
import { createHttpApp } from '../../src/delivery/http/app.js';
import { parseCreatePayment } from '../../src/delivery/http/payment-schemas.js';
import { answeredEvent } from '../support/call-fixtures.js';
import {
  keysOnlyAccess,
  type ListeningApp,
  listenOnLoopback,
  paymentCore,
} from '../support/in-process-app.js';
import { captureLogs } from '../support/log-capture.js';
import { type RecordedResponse, recordResponses, undocumented } from './openapi/documented-responses.js';

const key = 'integration-key-for-tests-0001';
const metricsToken = 'metrics-token-for-tests-0001';
const logs = captureLogs();
const { registry, payments } = paymentCore(logs.logger);
const dtmf = Object.fromEntries(DTMF_RESULTS.map((result, index) => [result, index + 1])) as Record<
  (typeof DTMF_RESULTS)[number],
  number
>;
let evapiConnected = true;
const metrics = new GatewayMetrics({
  calls: () => registry.list(),
  paymentsActive: () => payments.activeCount,
  dtmf: () => dtmf,
  evapiConnected: () => evapiConnected,
  auditHealthy: () => true,
  processorBreaker: () => 'open',
});
let app: ListeningApp;
let responses: RecordedResponse[] = [];
let base: string;

beforeAll(async () => {
  app = await listenOnLoopback(
    createHttpApp({
      clock: systemClock,
      logger: logs.logger,
      registry,
      payments,
      webhooksEnabled: false,
      access: keysOnlyAccess([key]),
      health: {},
      metrics: { metrics, token: metricsToken },
    }),
  );
  responses = recordResponses(app.server);
  base = app.base;
});
afterAll(() => app.close());

function scrape(token?: string) {
  return fetch(`${base}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

function call(sipCallId: string, masking: 'on' | 'off') {
  return registry.answered(answeredEvent(sipCallId, { masking }));
}

/** `name{a="x",b="y"} value` → value, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((row) => row.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('GET /metrics', () => {
  it.each([
    ['no token', undefined],
    ['a wrong token', 'not-the-metrics-token-0000'],
  ])('answers 401 GW_ERR_UNAUTHORIZED with %s', async (_name, token) => {
    const response = await scrape(token);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'GW_ERR_UNAUTHORIZED', message: expect.any(String) },
    });
  });

  it('serves the Prometheus text format to the metrics token and to an integration key', async () => {
    for (const token of [metricsToken, key]) {
      const response = await scrape(token);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('reads calls by masking, payments, DTMF results, evapi, audit and breaker at scrape time', async () => {
    const masked = call('sip-metrics-1', 'on');
    call('sip-metrics-2', 'on');
    call('sip-metrics-3', 'off');
    const payment = payments.create(masked.id, parseCreatePayment({ idempotencyKey: 'k1' }));
    expect(payment.created).toBe(true);
    evapiConnected = false;
    let text = await (await scrape(metricsToken)).text();
    expect(sample(text, 'tonewall_calls_active', 'masking="on"')).toBe(2);
    expect(sample(text, 'tonewall_calls_active', 'masking="off"')).toBe(1);
    expect(sample(text, 'tonewall_payments_active')).toBe(1);
    for (const result of DTMF_RESULTS) {
      expect(sample(text, 'tonewall_dtmf_events_total', `result="${result}"`)).toBe(dtmf[result]);
    }
    expect(sample(text, 'tonewall_evapi_connected')).toBe(0);
    expect(sample(text, 'tonewall_audit_healthy')).toBe(1);
    expect(sample(text, 'tonewall_processor_breaker_open')).toBe(1);

    dtmf.accepted += 10;
    payments.cancel(payment.view.id);
    metrics.observeNg('ping', 'ok', 0.002);
    metrics.observeNg('play media', 'GW_ERR_NG_TIMEOUT', 3);
    metrics.observeProcessor('sandbox', 'success', 0.3);
    metrics.observeProcessor('sandbox', 'GW_ERR_PROCESSOR_TIMEOUT', 6);
    metrics.paymentEnded('cancelled');
    text = await (await scrape(metricsToken)).text();
    expect(sample(text, 'tonewall_dtmf_events_total', 'result="accepted"')).toBe(11);
    expect(sample(text, 'tonewall_payments_active')).toBe(0);
    expect(sample(text, 'tonewall_payments_total', 'outcome="cancelled"')).toBe(1);
    expect(sample(text, 'tonewall_payments_total', 'outcome="success"')).toBe(0);
    expect(sample(text, 'tonewall_ng_request_duration_seconds_count', 'command="ping",result="ok"')).toBe(1);
    expect(
      sample(
        text,
        'tonewall_ng_request_duration_seconds_bucket',
        'le="2.5",command="play media",result="GW_ERR_NG_TIMEOUT"',
      ),
    ).toBe(0);
    expect(
      sample(
        text,
        'tonewall_processor_request_duration_seconds_count',
        'connector="sandbox",outcome="success"',
      ),
    ).toBe(1);

    // labels: closed sets only — no call id, payment id, SIP Call-ID or digit run
    const labelValues = [...text.matchAll(/="([^"]*)"/g)].map((match) => match[1] ?? '');
    for (const value of labelValues) expect(value).toMatch(/^([a-z][a-z -]*|GW_ERR_[A-Z_]+|[0-9.+Inf]+)$/);
    expect(text).not.toContain(masked.id);
    expect(text).not.toContain(payment.view.id);
    expect(text).not.toContain('sip-metrics');
    expect(text).not.toMatch(/\d{13,19}/);
  });

  it('keeps its own registry: two gateways in one process do not share or clash', async () => {
    const other = new GatewayMetrics({
      calls: () => [],
      paymentsActive: () => 7,
      dtmf: () => dtmf,
      evapiConnected: () => true,
      auditHealthy: () => false,
    });
    const text = await other.text();
    expect(sample(text, 'tonewall_payments_active')).toBe(7);
    expect(sample(text, 'tonewall_audit_healthy')).toBe(0);
    expect(text).not.toContain('tonewall_processor_breaker_open');
  });
});

it('answers only as docs/openapi.json documents (status, headers, body schema)', () => {
  expect(responses.length).toBeGreaterThan(0);
  expect(undocumented(responses)).toEqual([]);
});

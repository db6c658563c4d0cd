/**
 * Issue 8, faults on the real processes: the gateway (dist/main.js) and the sandbox processor as
 * their own processes, the test stack's Kamailio and rtpengine, SIPp customers keying RFC 4733.
 * SIGTERM mid-payment, SIGKILL mid-capture, Kamailio and rtpengine restarted under the gateway, and a
 * processor that is down, signed by another CA or refuses our client certificate. What the tests
 * measure is printed (`fault:` lines) and written up in docs/operations.md.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateDevKeys } from '../../scripts/keys.js';
import { agentAudioReport, describeAgentAudio } from '../support/agent-audio.js';
import { CallHarness, type PlacedCall } from '../support/call-harness.js';
import { rfc4733Pcap } from '../support/dtmf-pcap.js';
import { GatewayApi, type PaymentView } from '../support/gateway-api.js';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';
import { findKeyedDigits, logEnd, logFile } from '../support/log-scan.js';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.js';
import { restartStackComponent } from '../support/stack.js';
import { TEST_API_KEY, TEST_KEYS_DIR, TEST_RUN_DIR, testGatewayEnv } from '../support/test-run.js';

const HTTP_PORT = 8080;
const SANDBOX_PORT = 8443;
/** Nothing listens here: the "processor down" case. */
const CLOSED_PORT = 8444;
const WEBHOOK_SECRET = `whsec_${Buffer.from('integration-webhook-secret-faults-0123').toString('base64')}`;
const METRICS_TOKEN = 'integration-metrics-token-0123';
const GATEWAY_LOG = join(TEST_RUN_DIR, 'gateway-faults.log');
const SANDBOX_LOG = join(TEST_RUN_DIR, 'sandbox-faults.log');
const STATUS_FILE = join(TEST_RUN_DIR, 'payments.jsonl');
/** A second set of dev keys: another CA, and a client certificate the sandbox does not trust. */
const OTHER_KEYS_DIR = join(TEST_RUN_DIR, 'keys-other');
const EXPIRY = `12${String((new Date().getUTCFullYear() + 2) % 100).padStart(2, '0')}`;
const CARDS = { success: '4242424242424242', noAnswer: '4000000000000101' };

const api = new GatewayApi(`http://127.0.0.1:${HTTP_PORT}`, TEST_API_KEY);
let harness: CallHarness;
let sandbox: SandboxProcess;
let gateway: GatewayProcess | undefined;
let hooks: Server;
let hookUrl: string;
const hookBodies: string[] = [];
let logStart: Record<string, number> = {};

function gatewayEnv(extra: Record<string, string> = {}): Record<string, string> {
  return testGatewayEnv({
    TONEWALL_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TONEWALL_METRICS_TOKEN: METRICS_TOKEN,
    TONEWALL_PROCESSOR_URL: `https://127.0.0.1:${SANDBOX_PORT}/v1/tokens`,
    // the no-answer card's three attempts end within the test: 3 × 1 s + backoff
    TONEWALL_PROCESSOR_TIMEOUT_MS: '1000',
    TONEWALL_PROCESSOR_DEADLINE_MS: '6000',
    TONEWALL_PROCESSOR_BACKOFF_MS: '100',
    TONEWALL_EVAPI_RECONNECT_MS: '250',
    TONEWALL_RECONCILE_INTERVAL_MS: '500',
    TONEWALL_RECONCILE_NOTHING_AFTER_MS: '0',
    ...extra,
  });
}

async function startGateway(extra: Record<string, string> = {}): Promise<GatewayProcess> {
  await gateway?.stop();
  gateway = await startGatewayProcess({ env: gatewayEnv(extra), logFile: GATEWAY_LOG, httpPort: HTTP_PORT });
  return gateway;
}

async function metrics(): Promise<string> {
  const response = await fetch(`${api.baseUrl}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.status).toBe(200);
  return response.text();
}

function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((row) => row.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? Number.NaN : Number(line.split(' ').at(-1));
}

async function health(): Promise<{
  status: number;
  ms: number;
  body: { components: Record<string, { status: string }> };
}> {
  const startedAt = performance.now();
  const response = await fetch(`${api.baseUrl}/healthz`);
  const body = (await response.json()) as { components: Record<string, { status: string }> };
  return { status: response.status, ms: performance.now() - startedAt, body };
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A call whose customer keys `keys` after `leadInMs`; the payment starts as soon as the call is listed. */
async function payOnCall(
  keys: string,
  timing: {
    leadInMs?: number;
    holdMs?: number;
    /** Wait until the agent got this many packets before the payment starts (it mutes the customer). */
    heardFirst?: number;
  } = {},
): Promise<{ call: PlacedCall; payment: PaymentView }> {
  // 200 ms between keys: a repeated key (the 22 of 12/28) is never taken for rtpengine's duplicate report
  const pcap = rfc4733Pcap(keys, { leadInMs: timing.leadInMs ?? 1500, toneMs: 80, gapMs: 200, tailMs: 500 });
  const call = await harness.placeCall({
    customer: { telephoneEvent: true, pcap, ...(timing.holdMs ? { holdMs: timing.holdMs } : {}) },
  });
  const listed = await api.waitForCall(call.customer.sipCallId);
  if (timing.heardFirst) await call.agent.sink?.waitForPackets(timing.heardFirst, 5000);
  const payment = await api.startPayment(listed.id, { securityCode: true, statusCallback: hookUrl });
  return { call, payment };
}

function ended(paymentId: string, timeoutMs = 20_000): Promise<PaymentView> {
  return api.waitForPayment(
    paymentId,
    (view) => view.status !== 'in-progress' && view.status !== 'processing',
    timeoutMs,
  );
}

/** The status callbacks of a payment, in the order they came. */
function hookViews(paymentId: string): PaymentView[] {
  return hookBodies
    .map((body) => (JSON.parse(body) as { data: { payment: PaymentView } }).data.payment)
    .filter((payment) => payment.id === paymentId);
}

/** The last status callback of a payment. */
function lastHook(paymentId: string): PaymentView | undefined {
  return hookViews(paymentId).at(-1);
}

/** The payment's status callback of its end: a stop leaves it queued (docs/webhooks.md), the next run sends it. */
function endHook(paymentId: string): Promise<PaymentView> {
  return until(`the status callback of the end of ${paymentId}`, 10_000, async () => {
    const hook = lastHook(paymentId);
    return hook && hook.status !== 'in-progress' && hook.status !== 'processing' ? hook : undefined;
  });
}

function gatewayLogSince(start: number): string {
  return readFileSync(GATEWAY_LOG, 'utf8').slice(start);
}

/** The gateway's log since `start` once it holds `text` (lines reach the file in ≤ 100 ms batches). */
async function gatewayLogWith(start: number, text: string, timeoutMs = 3_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = gatewayLogSince(start);
    if (log.includes(text) || Date.now() > deadline) return log;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  logStart = { gateway: logEnd(GATEWAY_LOG), sandbox: logEnd(SANDBOX_LOG) };
  generateDevKeys({ dir: OTHER_KEYS_DIR });
  hooks = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      hookBodies.push(body);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hooks.address() as { port: number }).port}/payments`;
  // the no-answer card holds its answer past the connector's deadline, then settles as charged
  sandbox = await startSandboxProcess({
    keysDir: TEST_KEYS_DIR,
    port: SANDBOX_PORT,
    logFile: SANDBOX_LOG,
    hangMs: 12_000,
  });
  harness = await CallHarness.create({ name: 'faults' });
  await startGateway();
});

// a test that failed half-way must not leave the next one without a gateway
beforeEach(async () => {
  if (!gateway) await startGateway();
});

afterAll(async () => {
  await harness?.cleanup();
  await gateway?.stop();
  await sandbox?.stop();
  await new Promise<void>((resolve) => (hooks ? hooks.close(() => resolve()) : resolve()));
});

/** SIGTERMs the running gateway; resolves with its exit and how long the stop took. */
async function terminate(): Promise<{
  code: number | null;
  signal: NodeJS.Signals | null;
  stopMs: number;
  refused: string;
}> {
  const running = gateway;
  if (!running) throw new Error('no gateway');
  gateway = undefined;
  const exited = once(running.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const signalledAt = performance.now();
  running.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 150));
  // a new payment now: the listener is closed (refused) or the service answers GW_ERR_STOPPING (503)
  const calls = await api.calls().catch(() => []);
  const refused = await (calls[0]
    ? api.startPayment(calls[0].id)
    : Promise.reject(new Error('fetch failed'))
  ).then(
    () => 'created',
    (error: Error) => error.message,
  );
  const [code, signal] = await exited;
  await running.stop(); // already exited: closes its log stream
  return { code, signal, stopMs: performance.now() - signalledAt, refused };
}

describe('SIGTERM', () => {
  it('mid-capture: the payment ends internal-error (status callback by the next run), no new payment, exit 0', async () => {
    const { payment } = await payOnCall('4242424242', { holdMs: 7000 });
    await api.waitForPayment(
      payment.id,
      (view) => (view.fields['payment-card-number']?.digits ?? 0) === 10,
      8000,
    );
    const stop = await terminate();
    expect(stop).toMatchObject({ code: 0, signal: null });
    expect(stop.refused).toMatch(/GW_ERR_STOPPING|fetch failed/);
    expect(lastHook(payment.id)?.result, 'the stop did not wait for the callback').toBeUndefined();
    console.info(
      `fault: SIGTERM mid-capture: exit 0 after ${Math.round(stop.stopMs)} ms; new payment: ${stop.refused.slice(0, 60)}`,
    );
    await startGateway();
    expect(await endHook(payment.id)).toMatchObject({
      status: 'failed',
      result: { outcome: 'internal-error' },
    });
    // read back from the status file by the next run: ended cleanly, not "interrupted"
    const after = await api.payment(payment.id);
    expect(after).toMatchObject({ status: 'failed', result: { outcome: 'internal-error' } });
    expect(after).not.toHaveProperty('interrupted');
  });

  it('mid-tokenisation: the processor answer (here its time-outs) is awaited, then the outcome is published, exit 0', async () => {
    const { payment } = await payOnCall(`${CARDS.noAnswer}#${EXPIRY}123`, { holdMs: 16_000 });
    await api.waitForPayment(payment.id, (view) => view.status === 'processing', 10_000);
    const stop = await terminate();
    expect(stop).toMatchObject({ code: 0, signal: null });
    expect(stop.refused).toMatch(/GW_ERR_STOPPING|fetch failed/);
    // the tokenisation in flight ran all its attempts (3 × 1 s + backoff) before the process ended
    expect(stop.stopMs).toBeGreaterThan(1000);
    const mine = Object.values(await sandbox.charges()).filter((count) => count.paymentId === payment.id);
    expect(mine).toHaveLength(1);
    const count = mine[0] as { charges: number; requests: number };
    expect(count.requests).toBeGreaterThanOrEqual(2);
    expect(count.charges, 'never two charges').toBeLessThanOrEqual(1);
    console.info(
      `fault: SIGTERM mid-tokenisation (no-answer card): exit 0 after ${Math.round(stop.stopMs)} ms, ${count.requests} processor attempts under one key, ${count.charges} charges`,
    );
    await startGateway();
    // the attempts timed out: the processor may have charged, so the payment is unknown, not failed
    expect(await api.payment(payment.id)).toMatchObject({
      status: 'unknown',
      result: { outcome: 'unknown' },
    });
    // the next run's reconciler asks the processor: pending while it holds the answer, then charged
    expect(await api.waitForPayment(payment.id, (view) => view.status !== 'unknown', 20_000)).toMatchObject({
      status: 'succeeded',
      result: { outcome: 'success' },
    });
    expect(Object.values(await sandbox.charges()).find((c) => c.paymentId === payment.id)?.charges).toBe(1);
    // the status callbacks: unknown, queued as the gateway stopped and sent by the next run
    expect(
      await until('the unknown status callback', 10_000, async () =>
        hookViews(payment.id).find((view) => view.status === 'unknown'),
      ),
    ).toMatchObject({ result: { outcome: 'unknown' } });
  });
});

describe('the gateway is killed mid-capture and started again', () => {
  it('the payment ends failed / internal-error, the agent reads it after the restart, and can start again', async () => {
    const { call, payment } = await payOnCall('4242424242', { holdMs: 15_000 });
    await api.waitForPayment(
      payment.id,
      (view) => (view.fields['payment-card-number']?.digits ?? 0) === 10,
      8000,
    );
    await gateway?.kill();
    gateway = undefined;
    await startGateway();

    const view = await api.payment(payment.id);
    expect(view).toMatchObject({
      status: 'failed',
      capture: null,
      result: { outcome: 'internal-error' },
      interrupted: 'capturing',
      fields: { 'payment-card-number': { state: 'capturing' } },
    });
    // the status file gets a line per state change, not per digit (ee9c9cb): the count read back is
    // the field's at its last change, never more than was keyed, and masked
    const field = view.fields['payment-card-number'];
    expect(field?.digits).toBeGreaterThanOrEqual(1);
    expect(field?.digits).toBeLessThanOrEqual(10);
    expect(field?.masked).toBe('*'.repeat(field?.digits ?? 0));
    // the stream of a finished payment: one frame, the outcome, then the end
    const stream = await (
      await fetch(`${api.baseUrl}/v1/payments/${payment.id}/events`, {
        headers: { authorization: `Bearer ${TEST_API_KEY}` },
      })
    ).text();
    expect(stream.split('\n\n').filter((frame) => frame.includes('data: '))).toHaveLength(1);
    expect(stream).toContain('"outcome":"internal-error"');
    // the call is still masked and listed (rebuilt from Kamailio): the agent starts over
    const listed = await api.waitForCall(call.customer.sipCallId);
    expect(listed.masking).toBe('on');
    const again = await api.startPayment(listed.id);
    expect(again.status).toBe('in-progress');
    // the status file holds states and counts, never the digits keyed
    const file = readFileSync(STATUS_FILE, 'utf8');
    expect(file).toContain(payment.id);
    expect(findKeyedDigits([{ name: 'payments.jsonl', text: file }], harness.keyed)).toEqual([]);
    expect(file).not.toContain('42424242');
  });
});

describe('Kamailio restarted under the gateway', () => {
  it('evapi reconnects, the registry resynchronises (the dialogs survive), the call of before stays until its BYE, new calls are listed', async () => {
    const before = await harness.placeCall({
      customer: { telephoneEvent: true, pcap: rfc4733Pcap('', { leadInMs: 500, tailMs: 500 }), holdMs: 8000 },
    });
    const listed = await api.waitForCall(before.customer.sipCallId);
    expect(sample(await metrics(), 'tonewall_evapi_connected')).toBe(1);

    const restarted = restartStackComponent('kamailio', { pauseSeconds: 1 });
    const down = await until('evapi to drop', 5000, async () =>
      sample(await metrics(), 'tonewall_evapi_connected') === 0 ? true : undefined,
    );
    expect(down).toBe(true);
    const unhealthy = await health();
    expect(unhealthy.status).toBe(503);
    expect(unhealthy.body.components.kamailio?.status).toBe('down');
    await restarted;
    const kamailioUpAt = performance.now();
    await until('evapi to reconnect', 5000, async () =>
      sample(await metrics(), 'tonewall_evapi_connected') === 1 ? true : undefined,
    );
    const reconnectMs = performance.now() - kamailioUpAt;
    // Kamailio read its dialogs back (its dialog database): the resync from dlg.list keeps the call
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await api.callOf(before.customer.sipCallId))?.id).toBe(listed.id);
    expect((await health()).status).toBe(200);

    const after = await payOnCall(`${CARDS.success}#`, { holdMs: 9000 });
    expect(after.payment.status).toBe('in-progress');
    const captured = await api.waitForPayment(
      after.payment.id,
      (view) => view.fields['payment-card-number']?.state === 'captured',
      8000,
    );
    expect(captured.fields['payment-card-number']).toMatchObject({ digits: 16, valid: true });
    // its BYE goes through the new Kamailio, which ends the dialog: the call leaves the registry
    const oldCall = await before.customer.sipp.exit;
    expect(oldCall.code).toBe(0);
    await api.waitForCallGone(before.customer.sipCallId, 5000);
    console.info(
      `fault: Kamailio restart: evapi back ${Math.round(reconnectMs)} ms after Kamailio listened; the call of before still listed (same id) 1 s later; its SIPp exited ${oldCall.code} (BYE through the new Kamailio) and the call then left the registry; a new call captured 16 digits`,
    );
  });
});

describe('rtpengine restarted under the gateway', () => {
  it('a call in progress loses its media (the agent hears nothing, no digit), NG fails typed, new calls work', async () => {
    const leadInMs = 6000;
    // the agent hears the customer first (the payment then mutes the customer on the mute hop)
    const { call, payment } = await payOnCall(`${CARDS.success}#`, {
      leadInMs,
      holdMs: leadInMs + 4000,
      heardFirst: 20,
    });
    const sink = call.agent.sink;
    if (!sink) throw new Error('agent without a sink');
    const packetsBefore = sink.records.length;

    const restarted = restartStackComponent('rtpengine', { pauseSeconds: 2 });
    const outage = await until('rtpengine to be reported down', 4000, async () => {
      const probe = await health();
      return probe.body.components.rtpengine?.status === 'down' ? probe : undefined;
    });
    expect(outage.status).toBe(503);
    expect(outage.ms, '/healthz answers within the probe limit').toBeLessThan(1500);
    await restarted;
    await until('rtpengine to be reported up', 5000, async () =>
      (await health()).body.components.rtpengine?.status === 'up' ? true : undefined,
    );
    const text = await metrics();
    expect(
      sample(text, 'tonewall_ng_request_duration_seconds_count', 'command="ping",result="GW_ERR_NG_TIMEOUT"'),
    ).toBeGreaterThan(0);

    const customer = await call.customer.sipp.exit;
    await call.agent.sipp.exit;
    const agent = agentAudioReport(sink, call.customer.pcap);
    const view = await api.payment(payment.id);
    // measured: the restarted rtpengine knows nothing of the call, so it relays nothing and reports nothing
    expect(agent.digitEvents, describeAgentAudio(agent)).toBe(0);
    expect(agent.toneMs, describeAgentAudio(agent)).toBe(0);
    expect(view.fields['payment-card-number']?.digits ?? 0).toBe(0);
    console.info(
      `fault: rtpengine restart mid-call: /healthz said down in ${Math.round(outage.ms)} ms; agent packets ${packetsBefore} before the restart, ${sink.records.length - packetsBefore} after (customer sent ${agent.customerPackets}); digits at the agent ${agent.digitEvents}, captured ${view.fields['payment-card-number']?.digits ?? 0}; payment ${view.status}; customer SIPp exit ${customer.code}`,
    );

    const fresh = await payOnCall(`${CARDS.success}#`, { holdMs: 9000 });
    const captured = await api.waitForPayment(
      fresh.payment.id,
      (current) => current.fields['payment-card-number']?.state === 'captured',
      8000,
    );
    expect(captured.fields['payment-card-number']).toMatchObject({ digits: 16, valid: true, brand: 'visa' });
    await harness.finish(fresh.call);
    const freshAgent = agentAudioReport(
      fresh.call.agent.sink as NonNullable<typeof fresh.call.agent.sink>,
      fresh.call.customer.pcap,
    );
    expect(freshAgent.digitEvents, describeAgentAudio(freshAgent)).toBe(0);
  });
});

describe('processor faults', () => {
  it('down (connection refused): retried, payment-connector-error; the breaker opens and the next payment fails fast', async () => {
    const logAt = logEnd(GATEWAY_LOG);
    await startGateway({
      TONEWALL_PROCESSOR_URL: `https://127.0.0.1:${CLOSED_PORT}/v1/tokens`,
      TONEWALL_PROCESSOR_BREAKER_FAILURES: '1',
      TONEWALL_PROCESSOR_BREAKER_COOLDOWN_MS: '60000',
    });
    const first = await payOnCall(`${CARDS.success}#${EXPIRY}123`, { holdMs: 14_000 });
    expect(await ended(first.payment.id)).toMatchObject({
      status: 'failed',
      result: { outcome: 'payment-connector-error' },
    });
    const log = await gatewayLogWith(logAt, 'processor circuit breaker open');
    const retries = log
      .split('\n')
      .filter((line) => line.includes(first.payment.id) && line.includes('retrying with the same key'));
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(log).toContain('processor circuit breaker open');
    let text = await metrics();
    expect(sample(text, 'tonewall_processor_breaker_open')).toBe(1);
    const probe = await health();
    expect(probe.body.components.processor?.status).toBe('down');

    const second = await payOnCall(`${CARDS.success}#${EXPIRY}123`, { holdMs: 14_000 });
    const done = await ended(second.payment.id);
    expect(done).toMatchObject({ status: 'failed', result: { outcome: 'payment-connector-error' } });
    text = await metrics();
    expect(
      sample(
        text,
        'tonewall_processor_request_duration_seconds_count',
        'connector="sandbox",outcome="GW_ERR_PROCESSOR_UNAVAILABLE"',
      ),
    ).toBe(2);
    expect(
      sample(
        text,
        'tonewall_processor_request_duration_seconds_bucket',
        'le="0.005",connector="sandbox",outcome="GW_ERR_PROCESSOR_UNAVAILABLE"',
      ),
      'the second failed at once',
    ).toBe(1);
    expect(sample(text, 'tonewall_payments_total', 'outcome="payment-connector-error"')).toBe(2);
    const secondRetries = gatewayLogSince(logAt)
      .split('\n')
      .filter((line) => line.includes(second.payment.id) && line.includes('retrying with the same key'));
    expect(secondRetries).toEqual([]);
    console.info(
      `fault: processor down: ${retries.length} retries with one key, then the breaker opened; the next payment failed without a request`,
    );
  });

  it.each([
    ['a server certificate from another CA', { TONEWALL_PROCESSOR_CA: join(OTHER_KEYS_DIR, 'ca.pem') }],
    [
      'a client certificate the processor does not trust',
      {
        TONEWALL_PROCESSOR_CLIENT_CERT: join(OTHER_KEYS_DIR, 'gateway-client.pem'),
        TONEWALL_PROCESSOR_CLIENT_KEY: join(OTHER_KEYS_DIR, 'gateway-client.key'),
      },
    ],
  ])('TLS failure, %s: the processor never saw the payment; failed when that is certain, else unknown', async (name, env) => {
    await startGateway(env);
    const { payment } = await payOnCall(`${CARDS.success}#${EXPIRY}123`, { holdMs: 14_000 });
    // we refuse the server before sending: certain. The server refusing our certificate under TLS 1.3
    // resets the socket after our request was written: from our side that is a reset after sending
    const certain = name.startsWith('a server certificate');
    expect(await ended(payment.id)).toMatchObject(
      certain
        ? { status: 'failed', result: { outcome: 'payment-connector-error' } }
        : { status: 'unknown', result: { outcome: 'unknown' } },
    );
    const mine = Object.values(await sandbox.charges()).filter((count) => count.paymentId === payment.id);
    expect(mine).toEqual([]);
  });
});

describe('what the faults left behind', () => {
  it('no keyed digit in the gateway and sandbox logs, the status file or the status callbacks', async () => {
    await startGateway();
    expect(hookBodies.length).toBeGreaterThan(5);
    const gatewayLog = logFile('gateway-faults.log', GATEWAY_LOG, logStart.gateway);
    const sources = [
      gatewayLog,
      logFile('sandbox-faults.log', SANDBOX_LOG, logStart.sandbox),
      { name: 'payments.jsonl', text: readFileSync(STATUS_FILE, 'utf8') },
      { name: 'status callbacks', text: hookBodies.join('\n') },
    ];
    expect(harness.keyed.length).toBeGreaterThan(5);
    expect(findKeyedDigits(sources, [...harness.keyed, ...Object.values(CARDS)])).toEqual([]);
  });
});

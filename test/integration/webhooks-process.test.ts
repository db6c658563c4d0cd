/**
 * Issue 17 item 3 on the real processes: the gateway (dist/main.js) with status callbacks pending to
 * a receiver that accepts and never answers stops on SIGTERM at once (the attempt in flight is
 * aborted), and what it had not delivered stays in the state database: the next run sends it, in
 * order, with the same webhook-id, signed in the Standard Webhooks format, to a receiver on the same
 * address. Without TONEWALL_WEBHOOK_LOOPBACK (the production default) a loopback callback is refused
 * even when the allow-list names the address.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallHarness } from '../support/call-harness.js';
import { silentPcap } from '../support/dtmf-pcap.js';
import { GatewayApi, until } from '../support/gateway-api.js';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';
import { logEnd } from '../support/log-scan.js';
import { TEST_API_KEY, TEST_RUN_DIR, testGatewayEnv } from '../support/test-run.js';

const HTTP_PORT = 8080;
const GATEWAY_LOG = join(TEST_RUN_DIR, 'gateway-webhooks.log');
/** A state database of this file's own: the queue it leaves is this test's alone. */
const STATE_DB = join(TEST_RUN_DIR, 'webhooks-state.sqlite');
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const api = new GatewayApi(`http://127.0.0.1:${HTTP_PORT}`, TEST_API_KEY);

interface Hit {
  readonly headers: Record<string, string>;
  readonly body: string;
}

let harness: CallHarness;
let gateway: GatewayProcess | undefined;
let server: Server | undefined;
const hits: Hit[] = [];

/** A receiver on 127.0.0.1:`port` that records each request; `answer` false: it never answers. */
async function listen(port: number, answer: boolean): Promise<number> {
  server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      hits.push({ headers: request.headers as Record<string, string>, body });
      if (answer) response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function closeReceiver(): Promise<void> {
  const running = server;
  server = undefined;
  running?.closeAllConnections();
  await new Promise<void>((resolve) => (running ? running.close(() => resolve()) : resolve()));
}

function startGateway(extra: Record<string, string> = {}): Promise<GatewayProcess> {
  return startGatewayProcess({
    env: testGatewayEnv({
      TONEWALL_WEBHOOK_SECRET: SECRET,
      TONEWALL_WEBHOOK_HOSTS: '127.0.0.1',
      TONEWALL_STATE_DB: STATE_DB,
      // an attempt would hang for 30 s: the stop must not wait for it
      TONEWALL_WEBHOOK_TIMEOUT_MS: '30000',
      ...extra,
    }),
    logFile: GATEWAY_LOG,
    httpPort: HTTP_PORT,
  });
}

function payloads(): Array<{ id: string; sequence: number; status: string; outcome?: string }> {
  return hits.map((hit) => {
    const { data } = new Webhook(SECRET).verify(hit.body, hit.headers) as {
      data: { sequence: number; payment: { status: string; result?: { outcome: string } } };
    };
    return {
      id: hit.headers['webhook-id'] ?? '',
      sequence: data.sequence,
      status: data.payment.status,
      ...(data.payment.result ? { outcome: data.payment.result.outcome } : {}),
    };
  });
}

function removeStateDb(): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${STATE_DB}${suffix}`, { force: true });
}

beforeAll(async () => {
  removeStateDb();
  harness = await CallHarness.create({ name: 'webhooks' });
});

afterAll(async () => {
  await harness?.cleanup();
  await gateway?.stop();
  await closeReceiver();
  removeStateDb();
});

describe('status callbacks on the gateway process', () => {
  it('SIGTERM with a callback in flight to a silent receiver: exit 0 at once; the next run delivers the queue in order', async () => {
    const port = await listen(0, false);
    gateway = await startGateway();
    const call = await harness.placeCall({
      customer: { telephoneEvent: true, pcap: silentPcap(8000), holdMs: 8000 },
    });
    const listed = await api.waitForCall(call.customer.sipCallId);
    const payment = await api.startPayment(listed.id, {
      statusCallback: `http://127.0.0.1:${port}/payments`,
    });
    await until('the first callback attempt', 5_000, async () => (hits.length > 0 ? true : undefined));

    const running = gateway;
    gateway = undefined;
    const exited = once(running.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const signalled = performance.now();
    running.child.kill('SIGTERM');
    const [code, signal] = await exited;
    const stopMs = performance.now() - signalled;
    await running.stop();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stopMs, 'the stop did not wait for the receiver (30 s attempt time-out)').toBeLessThan(3_000);
    console.info(
      `webhooks: SIGTERM with a callback in flight to a silent receiver: exit 0 after ${Math.round(stopMs)} ms`,
    );

    const first = payloads();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ status: 'in-progress' });
    hits.length = 0;
    await closeReceiver();

    // the same address answers now; the next run finds the queue the first left
    await listen(port, true);
    const logFrom = logEnd(GATEWAY_LOG);
    gateway = await startGateway();
    await until('the queued callbacks', 10_000, async () =>
      payloads().some((hook) => hook.outcome === 'internal-error') ? true : undefined,
    );
    const second = payloads();
    expect(second[0]).toEqual({ ...first[0] });
    expect(second.map((hook) => hook.sequence)).toEqual(
      [...second.map((hook) => hook.sequence)].sort((a, b) => a - b),
    );
    expect(second.at(-1)).toMatchObject({ status: 'failed', outcome: 'internal-error' });
    expect(new Set(second.map((hook) => hook.id)).size).toBe(second.length);
    const log = readFileSync(GATEWAY_LOG, 'utf8').slice(logFrom);
    expect(log).toContain('status callbacks left by an earlier run');
    // the suite reaches its loopback receivers with TONEWALL_WEBHOOK_LOOPBACK on, which the gateway warns of
    expect(log).toContain('status callbacks may reach loopback addresses');
    expect((await api.payment(payment.id)).status).toBe('failed');
  });

  it('TONEWALL_WEBHOOK_LOOPBACK off: a callback to a loopback address the allow-list names is refused (400), nothing sent', async () => {
    await gateway?.stop();
    hits.length = 0;
    const port = await listen(0, true);
    const logFrom = logEnd(GATEWAY_LOG);
    gateway = await startGateway({ TONEWALL_WEBHOOK_LOOPBACK: 'off' });
    const call = await harness.placeCall({
      customer: { telephoneEvent: true, pcap: silentPcap(4000), holdMs: 4000 },
    });
    const listed = await api.waitForCall(call.customer.sipCallId);
    await expect(
      api.startPayment(listed.id, { statusCallback: `http://127.0.0.1:${port}/payments` }),
    ).rejects.toThrow(/HTTP 400 .*GW_ERR_INVALID_BODY.*loopback address/);
    const started = await api.startPayment(listed.id, { idempotencyKey: 'no-callback' });
    expect(started.status).toBe('in-progress');
    await api.request('POST', `/v1/payments/${started.id}`, { status: 'cancel' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(hits).toEqual([]);
    expect(readFileSync(GATEWAY_LOG, 'utf8').slice(logFrom)).not.toContain(
      'status callbacks may reach loopback addresses',
    );
  });
});

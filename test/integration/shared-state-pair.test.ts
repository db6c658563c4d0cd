/**
 * Issue 19 item 2, two gateway processes on one Redis (a redis-server of the test's own): the second
 * has its own HTTP port, DTMF port, audit log and files. It lists the first one's call (both hear
 * Kamailio), answers for the first one's payment and its idempotency key from Redis, and takes the
 * call's next payment once the first has stopped. (Which gateway captures a call's keys is issue 19
 * item 1: here no keys are captured.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallHarness } from '../support/call-harness.js';
import { rfc4733Pcap } from '../support/dtmf-pcap.js';
import { GatewayApi } from '../support/gateway-api.js';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';
import { heldChargeSettings } from '../support/held-charge.js';
import { freeUdpPort } from '../support/ports.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.js';
import { TEST_API_KEY, TEST_KEYS_DIR, TEST_RUN_DIR, testGatewayEnv } from '../support/test-run.js';

const HTTP_PORT = 8080;
/** The second gateway's (no other test uses it). */
const SECOND_HTTP_PORT = 8087;
const SANDBOX_PORT = 8443;

const api = new GatewayApi(`http://127.0.0.1:${HTTP_PORT}`, TEST_API_KEY);
const folder = mkdtempSync(join(tmpdir(), 'tonewall-shared-pair-'));
let redis: TestRedis;
let harness: CallHarness;
let sandbox: SandboxProcess;
let gateway: GatewayProcess | undefined;

beforeAll(async () => {
  redis = await startTestRedis();
  sandbox = await startSandboxProcess({
    keysDir: TEST_KEYS_DIR,
    port: SANDBOX_PORT,
    logFile: join(TEST_RUN_DIR, 'sandbox-shared-pair.log'),
  });
  harness = await CallHarness.create({ name: 'shared-pair' });
  gateway = await startGatewayProcess({
    env: testGatewayEnv({
      TONEWALL_STATE_STORE: 'redis',
      TONEWALL_REDIS_URL: redis.url,
      TONEWALL_INSTANCE_NAME: 'gw-a',
      TONEWALL_STATE_DB: join(folder, 'a', 'state.sqlite'),
      TONEWALL_PAYMENT_STATUS_FILE: join(folder, 'a', 'payments.jsonl'),
      ...heldChargeSettings(SANDBOX_PORT),
    }),
    logFile: join(TEST_RUN_DIR, 'gateway-shared-pair-a.log'),
    httpPort: HTTP_PORT,
  });
});

afterAll(async () => {
  await harness?.cleanup();
  await gateway?.stop();
  await sandbox?.stop();
  await redis?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('a second gateway process on the same Redis', () => {
  it("lists the first one's call, answers its payment and its idempotency key, and serves when the first is gone", async () => {
    const dtmfPort = await freeUdpPort('127.0.0.1', { span: 2, from: 41_000, to: 49_000 });
    const second = await startGatewayProcess({
      env: testGatewayEnv({
        TONEWALL_STATE_STORE: 'redis',
        TONEWALL_REDIS_URL: redis.url,
        TONEWALL_INSTANCE_NAME: 'gw-b',
        TONEWALL_STATE_DB: join(folder, 'b', 'state.sqlite'),
        TONEWALL_PAYMENT_STATUS_FILE: join(folder, 'b', 'payments.jsonl'),
        TONEWALL_AUDIT_DIR: join(folder, 'b', 'audit'),
        TONEWALL_DTMF_LOG_DEST: `127.0.0.1:${dtmfPort + 1}`,
        TONEWALL_MASK_DTMF_LOG_DEST: `127.0.0.1:${dtmfPort}`,
        ...heldChargeSettings(SANDBOX_PORT),
      }),
      logFile: join(TEST_RUN_DIR, 'gateway-shared-pair-b.log'),
      httpPort: SECOND_HTTP_PORT,
    });
    try {
      const b = new GatewayApi(`http://127.0.0.1:${SECOND_HTTP_PORT}`, TEST_API_KEY);
      const pcap = rfc4733Pcap('1#', { leadInMs: 15_000, toneMs: 80, gapMs: 200, tailMs: 500 });
      const call = await harness.placeCall({ customer: { telephoneEvent: true, pcap, holdMs: 25_000 } });
      const onA = await api.waitForCall(call.customer.sipCallId);
      const onB = await b.waitForCall(call.customer.sipCallId);
      expect(onB.id).toBe(onA.id); // both hear Kamailio's events: the call directory needs no store
      const body = { idempotencyKey: 'it-shared-state-pair', chargeAmount: '5.00', currency: 'GBP' };
      const started = await api.startPayment(onA.id, body);
      await api.request('POST', `/v1/payments/${started.id}`, { status: 'cancel' });
      expect(await b.payment(started.id)).toMatchObject({ id: started.id, status: 'cancelled' });
      expect(await b.startPayment(onB.id, body)).toMatchObject({ id: started.id, status: 'cancelled' });
      await gateway?.stop();
      gateway = undefined;
      const next = await b.startPayment(onB.id, { idempotencyKey: 'it-shared-state-pair-next' });
      expect(next.status).toBe('in-progress');
      await b.request('POST', `/v1/payments/${next.id}`, { status: 'cancel' });
      console.info(
        `shared state (Redis): a second gateway process listed the first's call, answered its payment ${started.id.slice(0, 8)}… and its key, and took the call's next payment with the first stopped`,
      );
    } finally {
      await second.stop();
    }
  });
});

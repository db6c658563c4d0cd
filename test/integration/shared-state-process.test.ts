/**
 * Issue 19 item 2 on the real processes: the gateway (dist/main.js) with TONEWALL_STATE_STORE=redis on
 * a redis-server of the test's own, a SIPp customer keying a card the sandbox processor holds the
 * answer to, the gateway SIGKILLed while the charge is at the processor. Its next run reads what it
 * left from Redis: the payment `unknown`, a retried create answered with it, a new charge on the call
 * refused, the reconciler settling it charged once, the status callback told. Nothing of it went to
 * the embedded store, and Redis holds no card number (the project's PAN scanner over every key and value).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanForPans } from '../../src/adapters/audit/pan-scanner.js';
import { CallHarness } from '../support/call-harness.js';
import { type CallbackReceiver, startCallbackReceiver } from '../support/callback-receiver.js';
import { GatewayApi, until } from '../support/gateway-api.js';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';
import { chargeHeldAtProcessor, heldChargeSettings, NO_ANSWER_CARD } from '../support/held-charge.js';
import { findKeyedDigits, logEnd, logFile } from '../support/log-scan.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.js';
import { TEST_API_KEY, TEST_KEYS_DIR, TEST_RUN_DIR, testGatewayEnv } from '../support/test-run.js';

const HTTP_PORT = 8080;
const SANDBOX_PORT = 8443;
const GATEWAY_LOG = join(TEST_RUN_DIR, 'gateway-shared-state.log');
const SANDBOX_LOG = join(TEST_RUN_DIR, 'sandbox-shared-state.log');
const NO_ANSWER = NO_ANSWER_CARD;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

const api = new GatewayApi(`http://127.0.0.1:${HTTP_PORT}`, TEST_API_KEY);
const folder = mkdtempSync(join(tmpdir(), 'tonewall-shared-state-'));
const stateDb = join(folder, 'state.sqlite');
const statusFile = join(folder, 'payments.jsonl');
let redis: TestRedis;
let harness: CallHarness;
let receiver: CallbackReceiver | undefined;
const callbacks: string[] = [];
let sandbox: SandboxProcess;
let gateway: GatewayProcess | undefined;
let logStart = 0;

function startGateway(): Promise<GatewayProcess> {
  return startGatewayProcess({
    env: testGatewayEnv({
      TONEWALL_STATE_STORE: 'redis',
      TONEWALL_REDIS_URL: redis.url,
      TONEWALL_INSTANCE_NAME: 'gw-a',
      TONEWALL_STATE_DB: stateDb,
      TONEWALL_PAYMENT_STATUS_FILE: statusFile,
      ...heldChargeSettings(SANDBOX_PORT),
      TONEWALL_WEBHOOK_SECRET: SECRET,
      TONEWALL_WEBHOOK_HOSTS: '127.0.0.1',
    }),
    logFile: GATEWAY_LOG,
    httpPort: HTTP_PORT,
  });
}

beforeAll(async () => {
  redis = await startTestRedis();
  receiver = await startCallbackReceiver((body) => {
    callbacks.push(body);
  });
  logStart = logEnd(GATEWAY_LOG);
  sandbox = await startSandboxProcess({
    keysDir: TEST_KEYS_DIR,
    port: SANDBOX_PORT,
    logFile: SANDBOX_LOG,
    hangMs: 10_000,
  });
  harness = await CallHarness.create({ name: 'shared-state' });
  gateway = await startGateway();
});

afterAll(async () => {
  await harness?.cleanup();
  await gateway?.stop();
  await sandbox?.stop();
  receiver?.close();
  await redis?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('the gateway on Redis, killed while a charge is at the processor', () => {
  it('its next run finds the payment, the key and the charge in Redis: unknown, replayed, refused, reconciled once', async () => {
    const statusCallback = (receiver as CallbackReceiver).url;
    const body = {
      idempotencyKey: 'it-shared-state',
      chargeAmount: '25.00',
      currency: 'GBP',
      statusCallback,
    };
    const held = await chargeHeldAtProcessor({ harness, api, sandbox, body });
    const listed = { id: held.callId };
    const payment = { id: held.paymentId };
    expect(redis.cli('HGET', `tw:charge:${payment.id}`, 'state').trim()).toBe('sending');
    const health = (await (await fetch(`http://127.0.0.1:${HTTP_PORT}/healthz`)).json()) as {
      components: Record<string, { status: string }>;
    };
    expect(health.components.stateStore).toEqual({ status: 'up' });
    await gateway?.kill();
    gateway = await startGateway();

    expect(await api.payment(payment.id)).toMatchObject({ status: 'unknown', interrupted: 'processing' });
    expect(await api.startPayment(listed.id, body)).toMatchObject({ id: payment.id, status: 'unknown' });
    await expect(api.startPayment(listed.id, { idempotencyKey: 'it-shared-state-other' })).rejects.toThrow(
      /HTTP 409 .*GW_ERR_CHARGE_IN_DOUBT/,
    );
    const settled = await api.waitForPayment(payment.id, (view) => view.status !== 'unknown', 25_000);
    expect(settled).toMatchObject({ status: 'succeeded', result: { outcome: 'success' } });
    const counts = Object.values(await sandbox.charges()).filter((count) => count.paymentId === payment.id);
    expect(counts).toEqual([expect.objectContaining({ charges: 1, requests: 1, outcome: 'succeeded' })]);
    await until(
      'the settlement callback',
      10_000,
      async () => callbacks.some((hit) => hit.includes('"status":"succeeded"')) || undefined,
    );
    expect(redis.cli('EXISTS', `tw:charge:${payment.id}`).trim()).toBe('0');

    // all of it went to Redis: the embedded store and the status file got nothing
    expect(existsSync(statusFile)).toBe(false);
    const db = new Database(stateDb, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    db.close();
    expect(tables).toEqual([]);
    const keys = redis.cli('--scan').split('\n').filter(Boolean);
    // what is left: the payment's status and its key, and the media chains' directory (each gateway
    // announces its nodes at start: e5297cc); nothing open, no charge, no callback pending
    expect(keys.sort()).toEqual([
      expect.stringMatching(/^tw:idem:[0-9a-f]{64}$/),
      'tw:media-nodes',
      `tw:payment:${payment.id}`,
    ]);
    const dump = keys.map((key) => `${key}\n${redis.cli('DUMP', key)}\n${redis.cli('TYPE', key)}`).join('\n');
    const values = keys
      .filter((key) => redis.cli('TYPE', key).trim() === 'string')
      .map((key) => redis.cli('GET', key))
      .join('\n');
    writeFileSync(join(folder, 'redis-dump.txt'), `${dump}\n${values}`);
    const scan = await scanForPans([join(folder, 'redis-dump.txt')]);
    expect(scan.findings).toEqual([]);
    expect(`${dump}\n${values}`).not.toContain(NO_ANSWER);
    expect(
      findKeyedDigits([logFile('gateway-shared-state.log', GATEWAY_LOG, logStart)], [NO_ANSWER]),
    ).toEqual([]);
    console.info(
      `shared state (Redis): SIGKILL mid-charge, the next run showed unknown, replayed the key, refused a second charge, reconciled ${settled.status}; processor charges ${counts[0]?.charges}; ${keys.length} keys in Redis, no card number`,
    );
  });
});

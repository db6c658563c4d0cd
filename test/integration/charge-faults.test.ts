/**
 * Issue 17, one charge whatever fails, on the real processes: the gateway (dist/main.js) SIGKILLed
 * while a charge is at the processor, the sandbox processor holding its answer (the no-answer card
 * settles as charged after the hold), a SIPp customer keying the card. The next run finds the charge
 * in its ledger: the payment is `unknown`, a retried create is the same payment (no new request at the
 * processor), a new charge on the call is refused, and the reconciler settles it from the processor's
 * record. The payment's status callback hears of each change, the settlement the second run made
 * included. docs/payments.md, "One charge whatever fails", has the whole fault matrix.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallHarness } from '../support/call-harness.js';
import { type CallbackReceiver, startCallbackReceiver } from '../support/callback-receiver.js';
import { GatewayApi, until } from '../support/gateway-api.js';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';
import { chargeHeldAtProcessor, heldChargeSettings, NO_ANSWER_CARD } from '../support/held-charge.js';
import { findKeyedDigits, logEnd, logFile } from '../support/log-scan.js';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.js';
import { TEST_API_KEY, TEST_KEYS_DIR, TEST_RUN_DIR, testGatewayEnv } from '../support/test-run.js';

const HTTP_PORT = 8080;
const SANDBOX_PORT = 8443;
const GATEWAY_LOG = join(TEST_RUN_DIR, 'gateway-charge-faults.log');
const SANDBOX_LOG = join(TEST_RUN_DIR, 'sandbox-charge-faults.log');
const NO_ANSWER = NO_ANSWER_CARD;

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

const api = new GatewayApi(`http://127.0.0.1:${HTTP_PORT}`, TEST_API_KEY);
let harness: CallHarness;
let receiver: CallbackReceiver | undefined;
/** The status callbacks received, verified: sequence and status of each. */
const callbacks: Array<{ sequence: number; status: string; body: string }> = [];
let sandbox: SandboxProcess;
let gateway: GatewayProcess | undefined;
let logStart = 0;

function startGateway(): Promise<GatewayProcess> {
  return startGatewayProcess({
    env: testGatewayEnv({
      ...heldChargeSettings(SANDBOX_PORT),
      TONEWALL_WEBHOOK_SECRET: SECRET,
      TONEWALL_WEBHOOK_HOSTS: '127.0.0.1',
    }),
    logFile: GATEWAY_LOG,
    httpPort: HTTP_PORT,
  });
}

beforeAll(async () => {
  receiver = await startCallbackReceiver((body, headers) => {
    const { data } = new Webhook(SECRET).verify(body, headers as Record<string, string>) as {
      data: { sequence: number; payment: { status: string } };
    };
    callbacks.push({ sequence: data.sequence, status: data.payment.status, body });
  });
  logStart = logEnd(GATEWAY_LOG);
  sandbox = await startSandboxProcess({
    keysDir: TEST_KEYS_DIR,
    port: SANDBOX_PORT,
    logFile: SANDBOX_LOG,
    hangMs: 10_000,
  });
  harness = await CallHarness.create({ name: 'charge-faults' });
  gateway = await startGateway();
});

afterAll(async () => {
  await harness?.cleanup();
  await gateway?.stop();
  await sandbox?.stop();
  receiver?.close();
});

describe('the gateway killed while a charge is at the processor', () => {
  it('next run: unknown, the same payment for a retried create, no new charge on the call, then reconciled as charged once', async () => {
    const idempotencyKey = 'it-charge-faults-kill';
    const statusCallback = (receiver as CallbackReceiver).url;
    const body = { idempotencyKey, chargeAmount: '25.00', currency: 'GBP', statusCallback };
    const held = await chargeHeldAtProcessor({ harness, api, sandbox, body });
    const listed = { id: held.callId };
    const payment = { id: held.paymentId };
    // the request is at the processor, which holds its answer: the process dies now
    await gateway?.kill();
    gateway = await startGateway();

    const after = await api.payment(payment.id);
    expect(after).toMatchObject({
      status: 'unknown',
      result: { outcome: 'unknown' },
      interrupted: 'processing',
    });
    const retried = await api.startPayment(listed.id, body);
    expect(retried).toMatchObject({ id: payment.id, status: 'unknown' });
    await expect(api.startPayment(listed.id, { idempotencyKey: 'it-charge-faults-other' })).rejects.toThrow(
      /HTTP 409 .*GW_ERR_CHARGE_IN_DOUBT/,
    );
    const settled = await api.waitForPayment(payment.id, (view) => view.status !== 'unknown', 25_000);
    expect(settled).toMatchObject({ status: 'succeeded', result: { outcome: 'success' } });
    const counts = Object.values(await sandbox.charges()).filter((count) => count.paymentId === payment.id);
    expect(counts).toEqual([expect.objectContaining({ charges: 1, requests: 1, outcome: 'succeeded' })]);
    // the callback hears of the ending at restart (unknown) and of the settlement, numbered on from the
    // first run's changes: a receiver that dropped every callback older than the newest it saw keeps the truth
    await until(
      "the settlement's callback",
      10_000,
      async () => callbacks.some((hit) => hit.status === 'succeeded') || undefined,
    );
    const statuses = callbacks.map((hit) => hit.status);
    expect(statuses.slice(-2)).toEqual(['unknown', 'succeeded']);
    expect(statuses).toContain('processing');
    const sequences = callbacks.map((hit) => hit.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(sequences.length);
    // settled: the call takes a new charge again
    const next = await api.startPayment(listed.id, { idempotencyKey: 'it-charge-faults-next' });
    expect(next.status).toBe('in-progress');
    await api.request('POST', `/v1/payments/${next.id}`, { status: 'cancel' });
    console.info(
      `fault: SIGKILL mid-charge: the next run showed unknown, refused a second charge, reconciled ${settled.status}; processor charges ${counts[0]?.charges}`,
    );
    expect(
      findKeyedDigits([logFile('gateway-charge-faults.log', GATEWAY_LOG, logStart)], [NO_ANSWER]),
    ).toEqual([]);
    expect(callbacks.map((hit) => hit.body).join('\n')).not.toMatch(/4000000000000101|tok_/);
  });
});

/**
 * Issue 4 on the real stack: Kamailio, rtpengine, SIPp customer and agent, the gateway as its own
 * process (dist/main.js) with prompts, the sandbox processor as its own process (mTLS + JWE). The
 * customer keys RFC 4733 events; the test sees what an integration sees: the API, the SSE stream and
 * the signed status callbacks. Every byte of those, and the gateway's and sandbox's logs, is scanned
 * for the keyed digit strings at the end.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAudioReport, describeAgentAudio } from '../support/agent-audio.js';
import { placeCallsAtOnce } from '../support/call-group.js';
import { CallHarness, type PlacedCall } from '../support/call-harness.js';
import { rfc4733Pcap } from '../support/dtmf-pcap.js';
import { GatewayApi, type PaymentView } from '../support/gateway-api.js';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';
import { findKeyedDigits, logEnd, logFile } from '../support/log-scan.js';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.js';
import { REPO_ROOT } from '../support/stack.js';
import { TEST_API_KEY, TEST_KEYS_DIR, TEST_RUN_DIR, testGatewayEnv } from '../support/test-run.js';

const HTTP_PORT = 8080;
const SANDBOX_PORT = 8443;
const WEBHOOK_SECRET = `whsec_${Buffer.from('integration-webhook-secret-0123456789').toString('base64')}`;
const GATEWAY_LOG = join(TEST_RUN_DIR, 'gateway.log');
const SANDBOX_LOG = join(TEST_RUN_DIR, 'sandbox.log');
const PROMPTS_DIR = join(REPO_ROOT, '.run', 'prompts', 'en-gb');
const EXPIRY = `12${String((new Date().getUTCFullYear() + 2) % 100).padStart(2, '0')}`;
const CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  processingError: '4000000000000119',
  noAnswer: '4000000000000101',
};

const api = new GatewayApi(`http://127.0.0.1:${HTTP_PORT}`, TEST_API_KEY);
let harness: CallHarness;
let gateway: GatewayProcess;
let sandbox: SandboxProcess;
let hooks: Server;
let hookUrl: string;
const hookBodies: Array<{ body: string; headers: Record<string, string> }> = [];
/** Every API response body and SSE frame the tests saw. */
const wire: string[] = [];
let logStart: Record<string, number> = {};

beforeAll(async () => {
  logStart = { gateway: logEnd(GATEWAY_LOG), sandbox: logEnd(SANDBOX_LOG) };
  execFileSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/make-prompts.ts', '--dir', PROMPTS_DIR],
    {
      cwd: REPO_ROOT,
      stdio: 'ignore',
    },
  );
  hooks = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      hookBodies.push({ body, headers: request.headers as Record<string, string> });
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
    hangMs: 9000,
  });
  gateway = await startGatewayProcess({
    env: testGatewayEnv({
      TONEWALL_PROMPTS_DIR: PROMPTS_DIR,
      // these customers key no # after the last field: the amount read-back is languages.test.ts's
      TONEWALL_AMOUNT_READBACK: 'off',
      TONEWALL_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TONEWALL_PROCESSOR_URL: `https://127.0.0.1:${SANDBOX_PORT}/v1/tokens`,
      // short enough that the no-answer card's three attempts fit in a test
      TONEWALL_PROCESSOR_TIMEOUT_MS: '1000',
      TONEWALL_PROCESSOR_DEADLINE_MS: '6000',
      TONEWALL_PROCESSOR_BACKOFF_MS: '100',
      // charges of unknown outcome looked up twice a second; loopback: no request lingers on the wire
      TONEWALL_RECONCILE_INTERVAL_MS: '500',
      TONEWALL_RECONCILE_NOTHING_AFTER_MS: '0',
    }),
    logFile: GATEWAY_LOG,
    httpPort: HTTP_PORT,
  });
  harness = await CallHarness.create({ name: 'payments' });
});

afterAll(async () => {
  await harness?.cleanup();
  await gateway?.stop();
  await sandbox?.stop();
  await new Promise<void>((resolve) => (hooks ? hooks.close(() => resolve()) : resolve()));
});

/** What the customer of one test's call keys (RFC 4733), after `leadInMs`, and how long the call lasts. */
interface CallPlan {
  keys: string;
  timing?: { leadInMs?: number; gapMs?: number; holdMs?: number };
}

/**
 * The calls of 'payments on a live call', one per test, all placed at once: one agent UAS answers
 * them (the agent address takes one SIPp), each with a sink of its own. The tests run concurrently,
 * each on its own call; a call's payment starts as soon as that call is listed, well before its
 * first key (lead-in ≥ 1.5 s after the answer, as when each test placed its own call).
 */
const PLANS = {
  success: { keys: `${CARDS.success}#${EXPIRY}123` },
  declined: { keys: `${CARDS.declined}#${EXPIRY}123`, timing: { holdMs: 9000 } },
  insufficientFunds: { keys: `${CARDS.insufficientFunds}#${EXPIRY}123`, timing: { holdMs: 9000 } },
  // one key, then 1.6 s of nothing (timeout 1 s), twice: two timed-out attempts of two allowed.
  // The first key 4 s after the answer: under the suite's load the payment once started after a
  // key 1.5 s in (the field then had no digit and waited for its first), and the call lasts well
  // past the second timeout
  timeout: { keys: '42', timing: { leadInMs: 4000, gapMs: 1600, holdMs: 12_000 } },
  clears: { keys: `4000*${CARDS.success}#${EXPIRY}123` },
  processingError: { keys: `${CARDS.processingError}#${EXPIRY}123`, timing: { holdMs: 19_000 } },
  noAnswer: { keys: `${CARDS.noAnswer}#${EXPIRY}123`, timing: { holdMs: 19_000 } },
} satisfies Record<string, CallPlan>;
type PlanName = keyof typeof PLANS;

let callsPlaced: Map<PlanName, Promise<PlacedCall>>;
let groupDone: Promise<PlacedCall[]>;

/** Places every plan's call (one group); each test then waits for its own in `payOnCall`. */
function placeEveryCall(): void {
  const names = Object.keys(PLANS) as PlanName[];
  const customers = names.map((name) => {
    const plan: CallPlan = PLANS[name];
    const pcap = rfc4733Pcap(plan.keys, {
      leadInMs: plan.timing?.leadInMs ?? 1500,
      toneMs: 80,
      gapMs: plan.timing?.gapMs ?? 100,
      tailMs: 500,
    });
    return { telephoneEvent: true, pcap, ...(plan.timing?.holdMs ? { holdMs: plan.timing.holdMs } : {}) };
  });
  const group = placeCallsAtOnce(harness, customers);
  callsPlaced = new Map(names.map((name, index) => [name, group.calls[index] as Promise<PlacedCall>]));
  groupDone = group.placed;
}

/** The plan's call (placed by placeEveryCall), and a payment started on it as soon as it is listed. */
async function payOnCall(
  name: PlanName,
  body: Record<string, unknown> = {},
): Promise<{ call: PlacedCall; payment: PaymentView; frames: Promise<string[]> }> {
  const call = await (callsPlaced.get(name) as Promise<PlacedCall>);
  const listed = await api.waitForCall(call.customer.sipCallId);
  const payment = await api.startPayment(listed.id, {
    securityCode: true,
    statusCallback: hookUrl,
    ...body,
  });
  wire.push(JSON.stringify(payment));
  return { call, payment, frames: followEvents(payment.id) };
}

/** Reads the payment's SSE stream to its end (the payment's end) and returns the frames. */
async function followEvents(paymentId: string): Promise<string[]> {
  const response = await fetch(`${api.baseUrl}/v1/payments/${paymentId}/events`, {
    headers: { authorization: `Bearer ${TEST_API_KEY}` },
  });
  const text = await response.text();
  wire.push(text);
  return text.split('\n\n').filter((frame) => frame.includes('data: '));
}

function views(frames: readonly string[]): PaymentView[] {
  return frames.map((frame) => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as PaymentView);
}

async function ended(paymentId: string, timeoutMs = 20_000): Promise<PaymentView> {
  const view = await api.waitForPayment(
    paymentId,
    (current) => current.status !== 'in-progress' && current.status !== 'processing',
    timeoutMs,
  );
  wire.push(JSON.stringify(view));
  return view;
}

describe.concurrent('payments on a live call', () => {
  beforeAll(() => {
    placeEveryCall();
  });

  // every call of the group ended as its scenario says: both SIPps exit 0, BYE answered
  afterAll(async () => {
    await Promise.all((await groupDone).map((call) => harness.finish(call, 30_000)));
  }, 60_000);

  /**
   * Ends the test's call as harness.finish does (both SIPps exit 0, the agent's stream went quiet).
   * The agent UAS is the group's: it exits once the group's last call ended (up to 19 s calls here).
   */
  const finish = (call: PlacedCall) => harness.finish(call, 30_000);

  it('a test card, a future expiry and 123: success with a token, last 4 4242, visa; the agent hears nothing', async () => {
    const { call, payment, frames } = await payOnCall('success');
    const done = await ended(payment.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      result: { outcome: 'success', last4: '4242', brand: 'visa', expMonth: 12 },
    });
    expect((done.result as { token?: string } | undefined)?.token).toMatch(/^tok_/);
    const seen = views(await frames);
    expect(seen.map((view) => view.capture)).toEqual(
      expect.arrayContaining(['payment-card-number', 'expiration-date', 'security-code']),
    );
    expect(seen.at(-1)?.status).toBe('succeeded');

    await finish(call);
    const sink = call.agent.sink;
    if (!sink) throw new Error('agent without a sink');
    const agent = agentAudioReport(sink, call.customer.pcap);
    expect(agent.toneMs, describeAgentAudio(agent)).toBe(0);
    expect(agent.digitEvents, describeAgentAudio(agent)).toBe(0);
  });

  it.each([
    ['declined', 'declined', 'card_declined'],
    ['insufficient funds', 'insufficientFunds', 'insufficient_funds'],
  ] as const)('a %s card fails with the reason, and the agent can start again on the call', async (_name, plan, code) => {
    const { call, payment } = await payOnCall(plan);
    const done = await ended(payment.id);
    expect(done).toMatchObject({ status: 'failed', result: { outcome: 'declined', declineCode: code } });
    const again = await api.startPayment(done.callId, { statusCallback: hookUrl });
    expect(again.status).toBe('in-progress');
    expect(again.id).not.toBe(payment.id);
    await finish(call);
    expect((await ended(again.id)).result).toEqual({ outcome: 'caller-hung-up' });
  });

  it('a pause past the timeout gives input-timeout and asks again; too many attempts end it', async () => {
    const { payment, frames } = await payOnCall('timeout', { timeout: 1, maxAttempts: 2 });
    const done = await ended(payment.id);
    expect(done).toMatchObject({
      status: 'failed',
      errorType: 'too-many-failed-attempts',
      result: { outcome: 'too-many-failed-attempts' },
    });
    const seen = views(await frames);
    const timedOut = seen.find((view) => view.errorType === 'input-timeout');
    expect(timedOut, 'a frame reports the timeout').toBeDefined();
    expect(timedOut?.capture).toBe('payment-card-number');
  });

  it('* clears the field: the digits before it do not count', async () => {
    const { payment, frames } = await payOnCall('clears');
    const done = await ended(payment.id);
    expect(done.status).toBe('succeeded');
    const counts = views(await frames).map((view) => view.fields['payment-card-number']?.digits ?? 0);
    const cleared = counts.findIndex(
      (count, index) => index > 0 && count === 0 && (counts[index - 1] ?? 0) === 4,
    );
    expect(cleared, `digit counts ${counts.join(',')}`).toBeGreaterThan(0);
  });

  it.each([
    [
      'a processing error (HTTP 500): the processor says it made no charge',
      CARDS.processingError,
      'failed',
      'processingError',
    ],
    ['no answer, then the charge settles at the processor', CARDS.noAnswer, 'succeeded', 'noAnswer'],
  ] as const)('%s: unknown first (the connector cannot tell), one key, then reconciled: %s', async (_name, card, final, plan) => {
    const { payment } = await payOnCall(plan);
    const unknown = await api.waitForPayment(
      payment.id,
      (view) => view.status !== 'in-progress' && view.status !== 'processing',
      15_000,
    );
    expect(unknown).toMatchObject({ status: 'unknown', result: { outcome: 'unknown' } });
    // no second charge on the call while the first is in doubt (the payment stays active: 409)
    await expect(api.startPayment(payment.callId, {})).rejects.toThrow(/HTTP 409/);
    const done = await api.waitForPayment(payment.id, (view) => view.status !== 'unknown', 20_000);
    expect(done).toMatchObject(
      final === 'succeeded'
        ? { status: 'succeeded', result: { outcome: 'success', last4: card.slice(-4) } }
        : { status: 'failed', result: { outcome: 'payment-connector-error' } },
    );
    const charges = await sandbox.charges();
    const mine = Object.values(charges).filter((count) => count.paymentId === payment.id);
    expect(mine, JSON.stringify(charges)).toHaveLength(1);
    expect(mine[0]?.requests, 'the connector retried under one key').toBeGreaterThanOrEqual(2);
    expect(mine[0]?.charges).toBe(1);
    expect(mine[0]?.outcome).toBe(final === 'succeeded' ? 'succeeded' : 'error');
  });
});

describe('what left the gateway', () => {
  it('status callbacks are signed (Standard Webhooks), in order per payment, and none of it holds a keyed card number', async () => {
    expect(hookBodies.length).toBeGreaterThan(10);
    const sequences = new Map<string, number[]>();
    for (const hook of hookBodies) {
      const verified = new Webhook(WEBHOOK_SECRET).verify(hook.body, hook.headers) as {
        data: { payment: { id: string; result?: object }; sequence: number };
      };
      const { payment, sequence } = verified.data;
      // no token, no expiry in a callback: the integration reads them with its key (docs/webhooks.md)
      expect(payment.result ?? {}).not.toHaveProperty('token');
      expect(payment.result ?? {}).not.toHaveProperty('expYear');
      sequences.set(payment.id, [...(sequences.get(payment.id) ?? []), sequence]);
    }
    for (const seen of sequences.values()) expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const keyed = [...Object.values(CARDS), `${EXPIRY}123`];
    const sources = [
      logFile('gateway.log', GATEWAY_LOG, logStart.gateway),
      logFile('sandbox.log', SANDBOX_LOG, logStart.sandbox),
      { name: 'API and SSE', text: wire.join('\n') },
      { name: 'webhooks', text: hookBodies.map((hook) => hook.body).join('\n') },
    ];
    expect(findKeyedDigits(sources, keyed)).toEqual([]);
  });
});

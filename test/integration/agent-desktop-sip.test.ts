/**
 * Issue 5's first browser test, end to end on the real stack: an agent enrolled by `tonewall users add
 * --totp` signs in to the desktop in headless Chromium with a password and a one-time code (codes are
 * required by default), a SIPp customer's call through Kamailio and rtpengine appears, the agent takes a
 * payment, SIPp keys the card as RFC 4733 events, the page shows progress and the outcome from the
 * sandbox processor. The DOM, the page source, every SSE frame and every network response of the run
 * hold none of the keyed digits. Then, on the same gateway process: every sign-in event an audit record
 * and a log line, and an account locked after 10 failed passwords.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, tapWire } from '../browser/browser.js';
import { CallHarness } from '../support/call-harness.js';
import { rfc4733Pcap } from '../support/dtmf-pcap.js';
import { GatewayApi } from '../support/gateway-api.js';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';
import { findKeyedDigits } from '../support/log-scan.js';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.js';
import { REPO_ROOT } from '../support/stack.js';
import { TEST_API_KEY, TEST_KEYS_DIR, TEST_RUN_DIR, testGatewayEnv } from '../support/test-run.js';

const HTTP_PORT = 8080;
const SANDBOX_PORT = 8443;
const CARD = '4242424242424242';
const EXPIRY = `11${String((new Date().getUTCFullYear() + 3) % 100).padStart(2, '0')}`;
const CVV = '737';
const PASSWORD = 'agent-seven-password-1';
const EIGHT_PASSWORD = 'agent-eight-password-1';
const AUDIT_DIR = join(TEST_RUN_DIR, 'audit');
/** The audit log's length before this file's gateway started. */
let auditFrom = 0;

let gateway: GatewayProcess;
let sandbox: SandboxProcess;
let harness: CallHarness;
let context: BrowserContext;
let page: Page;
/** The authenticator key `users add --totp` printed for the agent. */
let totpSecret = '';
const api = new GatewayApi(`http://127.0.0.1:${HTTP_PORT}`, TEST_API_KEY);

/** `tonewall users add NAME --role agent --agent-id ID …` with the password on standard input; what it printed. */
function addUser(
  usersFile: string,
  name: string,
  agentId: string,
  extra: string[],
  password: string,
): string {
  return execFileSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/users.ts', 'add', name, '--role', 'agent', '--agent-id', agentId, ...extra],
    {
      cwd: REPO_ROOT,
      input: `${password}\n`,
      env: { PATH: process.env.PATH ?? '', TONEWALL_ROOT: REPO_ROOT, TONEWALL_USERS_FILE: usersFile },
      stdio: ['pipe', 'pipe', 'inherit'],
      encoding: 'utf8',
    },
  );
}

/** The run's audit log lines, every segment, in order. */
function auditLines(): string[] {
  if (!existsSync(AUDIT_DIR)) return [];
  return readdirSync(AUDIT_DIR)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) => readFileSync(join(AUDIT_DIR, name), 'utf8').split('\n'))
    .filter((line) => line.trim() !== '');
}

beforeAll(async () => {
  const usersFile = join(mkdtempSync(join(tmpdir(), 'tonewall-users-')), 'users.json');
  const added = addUser(usersFile, 'seven', 'agent-desk-sip', ['--name', 'Agent Seven', '--totp'], PASSWORD);
  totpSecret = /^authenticator key: ([A-Z2-7]+)$/m.exec(added)?.[1] ?? '';
  if (!totpSecret) throw new Error(`users add --totp printed no key: ${added}`);
  sandbox = await startSandboxProcess({
    keysDir: TEST_KEYS_DIR,
    port: SANDBOX_PORT,
    logFile: join(TEST_RUN_DIR, 'sandbox.log'),
  });
  addUser(usersFile, 'eight', 'agent-desk-eight', [], EIGHT_PASSWORD);
  auditFrom = auditLines().length;
  gateway = await startGatewayProcess({
    env: testGatewayEnv({
      TONEWALL_USERS_FILE: usersFile,
      TONEWALL_PROCESSOR_URL: `https://127.0.0.1:${SANDBOX_PORT}/v1/tokens`,
      // the lock-out (10 failures, any address) before the per-address throttle
      TONEWALL_SIGNIN_MAX_ATTEMPTS: '20',
    }),
    logFile: join(TEST_RUN_DIR, 'gateway.log'),
    httpPort: HTTP_PORT,
  });
  harness = await CallHarness.create({ name: 'agent-desktop-sip' });
  context = await launchBrowser();
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await harness?.cleanup();
  await gateway?.stop();
  await sandbox?.stop();
});

describe('the agent desktop on a real call', () => {
  it('signs in, takes a payment the SIPp customer keys, shows progress and the outcome, and leaks no digit', async () => {
    const wire = await tapWire(context, page);
    await page.goto(gateway.url);
    await page.getByLabel('User name').fill('seven');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByTestId('sign-in-submit').click();
    // the password is right: the desk asks for the code of the agent's authenticator
    await page.getByTestId('code').waitFor();
    const totp = new TOTP({
      secret: Secret.fromBase32(totpSecret),
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
    await page.getByTestId('code').fill(totp.generate());
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('no-call').waitFor();

    // The customer's keys start 6 s after the answer: time for the page to show the call and the
    // agent to start the payment.
    const pcap = rfc4733Pcap(`${CARD}#${EXPIRY}${CVV}`, {
      leadInMs: 6000,
      toneMs: 80,
      gapMs: 120,
      tailMs: 800,
    });
    // its own agent id: calls other test files left in the shared stack belong to other agents
    const call = await harness.placeCall({
      agent: { agentId: 'agent-desk-sip' },
      customer: { telephoneEvent: true, pcap },
    });
    await api.waitForCall(call.customer.sipCallId);
    await page.getByTestId('call-details').waitFor({ timeout: 5000 });
    await page.getByTestId('amount').fill('12.50');
    await page.getByTestId('reference').fill('Order SIP-A');
    await page.getByTestId('start-payment').click();
    await page.getByTestId('payment-panel').waitFor();

    // digits fill as the customer keys them (polled: a headless page's animation frames are throttled)
    const cardStep = page.getByTestId('step-payment-card-number');
    await expect
      .poll(async () => Number(await cardStep.getAttribute('data-digits')), {
        timeout: 15_000,
        interval: 100,
      })
      .toBeGreaterThanOrEqual(8);
    await screenshot(page, 'sip-payment-progress');
    await expect
      .poll(
        () =>
          page
            .getByTestId('outcome-title')
            .innerText()
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toContain('Payment approved');
    expect(await page.getByTestId('outcome-card').innerText()).toContain('4242');
    await screenshot(page, 'sip-payment-approved');

    await harness.finish(call);
    await wire.settle();
    // the SIPp customer's own number (13 digits) is on the page by design: not a card number
    const customerNumber = '4479460000001';
    const sources = [
      {
        name: 'DOM',
        text: await page.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { outerHTML: string } } }).document
              .documentElement.outerHTML,
        ),
      },
      { name: 'page source', text: await page.content() },
      { name: 'SSE frames', text: wire.frames.join('\n') },
      { name: 'network responses', text: wire.bodies.join('\n') },
    ];
    expect(wire.frames.length).toBeGreaterThan(10);
    const scrubbed = sources.map((source) => ({
      ...source,
      text: source.text.replaceAll(customerNumber, '<customer>'),
    }));
    expect(findKeyedDigits(scrubbed, [CARD, `${EXPIRY}${CVV}`, CARD.slice(0, 12)])).toEqual([]);
  });

  it('records every sign-in event in the audit log and the log, and locks an account after 10 failures', async () => {
    const signIn = (username: string, password: string) =>
      fetch(`${gateway.url}/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: gateway.url },
        body: JSON.stringify({ username, password }),
      });
    const codeOf = async (response: Response) =>
      ((await response.json()) as { error?: { code?: string } }).error?.code;
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      expect((await signIn('eight', `wrong-password-${attempt}`)).status, `attempt ${attempt}`).toBe(401);
    }
    // the right password now: the account is locked, from any address, for 30 minutes
    const locked = await signIn('eight', EIGHT_PASSWORD);
    expect([locked.status, await codeOf(locked)]).toEqual([403, 'GW_ERR_ACCOUNT_LOCKED']);
    // a name that is no user is recorded as nobody's
    expect((await signIn('Hunter2-typed-here', 'x'.repeat(12))).status).toBe(401);

    await new Promise((resolve) => setTimeout(resolve, 300));
    const records = auditLines()
      .slice(auditFrom)
      .map((line) => JSON.parse(line) as { type: string; actor: string; data: Record<string, string> })
      .filter((record) => record.type === 'auth.event');
    const summary = records.map(
      ({ actor, data }) => `${actor} ${data.event} ${data.outcome} ${data.reason ?? ''}`,
    );
    // the browser test's sign-in before this one: seven's password, then code
    expect(summary).toContain('agent:agent-desk-sip sign-in allowed ');
    const eight = summary.filter((line) => line.startsWith('user:eight'));
    expect(eight).toEqual([
      ...Array.from({ length: 10 }, () => 'user:eight sign-in failed wrong-password'),
      'user:eight lock-out denied too-many-failures',
      'user:eight sign-in denied locked',
    ]);
    expect(summary).toContain('anonymous sign-in failed unknown-user');
    for (const record of records) expect(record.data.source).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    // and as log lines, with the same facts; never a password or a name that is no user
    const log = readFileSync(join(TEST_RUN_DIR, 'gateway.log'), 'utf8');
    expect(log).toMatch(/"event":"lock-out","outcome":"denied","principal":"user:eight"/);
    expect(log).not.toContain('wrong-password-1"');
    expect(log).not.toContain('Hunter2-typed-here');
    expect(auditLines().join('\n')).not.toContain('Hunter2-typed-here');
  });
});

/**
 * Issue 21 on the real stack: a payment in Spanish and one in Welsh, each of £10.50 with its amount
 * read back. Kamailio, rtpengine, a SIPp customer keying RFC 4733 events, the gateway process with
 * every language's prompts (made by scripts/make-prompts.ts) and the sandbox processor. Each payment
 * names its `language` (es-ES also `readBack`, cy-GB has it by default); the customer keys the card,
 * waits 7 s (the sentence) and keys
 * # to confirm. The test checks from the gateway's log that every prompt rtpengine played for it was
 * that language's file (rtpengine answered `play media` for each; a missing or unreadable file would
 * be a GW_ERR_PROMPT warning), that the read-back played was the file of that language's sentence
 * for 10.50 GBP (its name is the hash of voice and sentence), that the audit log records the amount
 * read back and confirmed, and that it paid.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUES } from '../../src/domain/language/catalogue.js';
import { readBackSentence } from '../../src/domain/language/spoken-amount.js';
import { placeCallsAtOnce } from '../support/call-group.js';
import { CallHarness, type PlacedCall } from '../support/call-harness.js';
import { rfc4733Pcap } from '../support/dtmf-pcap.js';
import { GatewayApi } from '../support/gateway-api.js';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';
import { findKeyedDigits, logEnd, logFile } from '../support/log-scan.js';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.js';
import { REPO_ROOT } from '../support/stack.js';
import { TEST_API_KEY, TEST_KEYS_DIR, TEST_RUN_DIR, testGatewayEnv } from '../support/test-run.js';

const HTTP_PORT = 8080;
const SANDBOX_PORT = 8443;
const GATEWAY_LOG = join(TEST_RUN_DIR, 'gateway-languages.log');
const SANDBOX_LOG = join(TEST_RUN_DIR, 'sandbox-languages.log');
const PROMPTS_DIR = join(REPO_ROOT, '.run', 'prompts', 'en-gb');
const CARD = '4242424242424242';
/** The gateway speaks the read-back beside the run's payments.jsonl (composition/customer-prompts.ts). */
const SPOKEN_DIR = join(TEST_RUN_DIR, 'spoken');
const EXPIRY = `12${String((new Date().getUTCFullYear() + 2) % 100).padStart(2, '0')}`;

const api = new GatewayApi(`http://127.0.0.1:${HTTP_PORT}`, TEST_API_KEY);
let harness: CallHarness;
let gateway: GatewayProcess;
let sandbox: SandboxProcess;
let logStart = 0;

beforeAll(async () => {
  logStart = logEnd(GATEWAY_LOG);
  execFileSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/make-prompts.ts', '--dir', PROMPTS_DIR],
    {
      cwd: REPO_ROOT,
      stdio: 'ignore',
    },
  );
  sandbox = await startSandboxProcess({ keysDir: TEST_KEYS_DIR, port: SANDBOX_PORT, logFile: SANDBOX_LOG });
  gateway = await startGatewayProcess({
    env: testGatewayEnv({
      TONEWALL_PROMPTS_DIR: PROMPTS_DIR,
      TONEWALL_PROCESSOR_URL: `https://127.0.0.1:${SANDBOX_PORT}/v1/tokens`,
    }),
    logFile: GATEWAY_LOG,
    httpPort: HTTP_PORT,
  });
  harness = await CallHarness.create({ name: 'languages' });
});

afterAll(async () => {
  await harness?.cleanup();
  await gateway?.stop();
  await sandbox?.stop();
});

interface LogLine {
  readonly msg?: string;
  readonly callId?: string;
  readonly prompt?: string;
  readonly language?: string;
  readonly file?: string;
}

/** Every line of the run's audit log files that mention this run (the test reads them whole). */
function auditLines(): string[] {
  const dir = join(TEST_RUN_DIR, 'audit');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'));
}

function gatewayLines(): LogLine[] {
  return logFile('gateway', GATEWAY_LOG, logStart)
    .text.split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

const LANGUAGES = ['es-ES', 'cy-GB'] as const;

/**
 * One call per language, both at once (one agent UAS answers them); each test starts its payment as
 * soon as its call is listed, 2.5 s before the first key. The customer keys the card, then # 7 s
 * after the code.
 */
function placeBothCalls(): Map<(typeof LANGUAGES)[number], Promise<PlacedCall>> {
  const keys = `${CARD}#${EXPIRY}123#`;
  const gapsMs = [...keys].slice(1).map((_key, index) => (index === keys.length - 2 ? 7000 : 100));
  const customers = LANGUAGES.map(() => ({
    telephoneEvent: true,
    pcap: rfc4733Pcap(keys, { leadInMs: 2500, toneMs: 80, gapMs: 100, gapsMs, tailMs: 500 }),
  }));
  const { calls } = placeCallsAtOnce(harness, customers);
  return new Map(LANGUAGES.map((language, index) => [language, calls[index] as Promise<PlacedCall>]));
}

describe('a payment in the customer’s language', () => {
  let calls: ReturnType<typeof placeBothCalls>;
  beforeAll(() => {
    calls = placeBothCalls();
  });

  it.concurrent.each(
    LANGUAGES,
  )('%s: every prompt from that language’s files, the amount read back in it, confirmed with #, paid', async (language) => {
    const call = await (calls.get(language) as Promise<PlacedCall>);
    const listed = await api.waitForCall(call.customer.sipCallId);
    // es-ES asks for the read-back; cy-GB gets it by default (TONEWALL_AMOUNT_READBACK, on)
    const payment = await api.startPayment(listed.id, {
      securityCode: true,
      language,
      chargeAmount: '10.50',
      currency: 'gbp',
      ...(language === 'es-ES' ? { readBack: true } : {}),
    });
    const done = await api.waitForPayment(
      payment.id,
      (view) => view.status !== 'in-progress' && view.status !== 'processing',
      40_000,
    );
    expect(done).toMatchObject({ status: 'succeeded', result: { outcome: 'success', last4: '4242' } });
    await harness.finish(call);

    const lines = gatewayLines().filter((line) => line.callId === listed.id);
    const played = lines.filter((line) => line.msg === 'prompt played');
    const order = played.map((line) => line.prompt);
    expect(order).toEqual(
      expect.arrayContaining(['ask-payment-card-number', 'ask-expiration-date', 'ask-security-code']),
    );
    expect(order.indexOf('amount-read-back')).toBeGreaterThan(order.indexOf('ask-security-code'));
    expect(order.indexOf('payment-processing')).toBeGreaterThan(order.indexOf('amount-read-back'));
    expect(order).toContain('payment-succeeded');
    const catalogue = CATALOGUES[language];
    const sentence = readBackSentence(catalogue, '10.50', 'gbp');
    const spoken = join(
      SPOKEN_DIR,
      `${createHash('sha256').update(`${catalogue.espeakVoice}\n${sentence}`).digest('hex').slice(0, 32)}.wav`,
    );
    for (const line of played) {
      expect(line.language).toBe(language);
      expect(line.file).toBe(
        line.prompt === 'amount-read-back' ? spoken : join(PROMPTS_DIR, language, `${line.prompt}.wav`),
      );
    }
    expect(existsSync(spoken)).toBe(true);
    expect(lines.filter((line) => /could not be (played|read back)/.test(line.msg ?? ''))).toEqual([]);

    // the audit log says the amount was read back, and confirmed before the card went on
    const audit = auditLines().filter((line) => line.includes(payment.id));
    expect(audit.some((line) => line.includes('"amountReadBack":"awaiting"'))).toBe(true);
    expect(audit.some((line) => line.includes('"amountReadBack":"confirmed"'))).toBe(true);
  });

  it('left no card digits in the gateway’s log', () => {
    expect(findKeyedDigits([logFile('gateway', GATEWAY_LOG, logStart)], [CARD, `${EXPIRY}123`])).toEqual([]);
  });
});

/**
 * Issue 17 item 1 on the sandbox processor's own process (dist/sandbox/main.js) with the run's keys: a
 * card payload the gateway's connector encrypted is bound to its request (idempotency key, iat, jti;
 * docs/processor-protocol.md 4.1). The same bytes under the same key are one charge; under another key
 * they are refused (idempotency_key_mismatch), and a payload issued six minutes ago is refused
 * (stale_request); neither charges.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Clock, systemClock, systemTimers } from '../../src/application/clock.js';
import type { ProcessorConnector } from '../../src/application/payments/processor-connector.js';
import { createProcessorConnector } from '../../src/composition/create-connector.js';
import { loadConfig } from '../../src/config/config.js';
import { RecordingProcessor } from '../contract/processors/recording-processor.js';
import { httpsSend, tokeniseFailure, tokeniseRequest } from '../contract/processors/support.js';
import { captureLogs } from '../support/log-capture.js';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.js';
import { TEST_KEYS_DIR, TEST_RUN_DIR, testGatewayEnv } from '../support/test-run.js';

const SANDBOX_PORT = 8443;
const CARD = '4242424242424242';
const pem = (name: string) => readFileSync(join(TEST_KEYS_DIR, name), 'utf8');
const logs = captureLogs();
const seen: string[] = [];
let sandbox: SandboxProcess;
const connectors: ProcessorConnector[] = [];

beforeAll(async () => {
  sandbox = await startSandboxProcess({
    keysDir: TEST_KEYS_DIR,
    port: SANDBOX_PORT,
    logFile: join(TEST_RUN_DIR, 'sandbox-replay.log'),
  });
});

afterAll(async () => {
  for (const connector of connectors) await connector.close();
  await sandbox?.stop();
});

/** The gateway's connector as configured from the run's keys (one attempt), aimed at `url`. */
async function connector(url: string, clock: Clock = systemClock): Promise<ProcessorConnector> {
  const config = loadConfig(
    testGatewayEnv({ TONEWALL_PROCESSOR_URL: url, TONEWALL_PROCESSOR_MAX_ATTEMPTS: '1' }),
  );
  const made = await createProcessorConnector(config.processor, logs.logger, { clock, timers: systemTimers });
  connectors.push(made);
  return made;
}

const post = (key: string, body: string) =>
  httpsSend(
    `${sandbox.url}/v1/tokens`,
    { ca: pem('ca.pem'), cert: pem('gateway-client.pem'), key: pem('gateway-client.key') },
    {
      method: 'POST',
      headers: { 'content-type': 'application/jose', accept: 'application/json', 'idempotency-key': key },
      body,
    },
  );

describe('the sandbox process refuses a replayed or stale card payload', () => {
  it('the same bytes under the same key: one charge; under another key: refused, no charge', async () => {
    const req = tokeniseRequest(CARD);
    // the bytes the connector sends, caught by a recording processor that answers 503
    const recorder = await RecordingProcessor.start({
      cert: pem('sandbox-server.pem'),
      key: pem('sandbox-server.key'),
      ca: pem('ca.pem'),
    });
    recorder.answerNextWith({ status: 503, body: '' });
    await tokeniseFailure(await connector(recorder.url), req, seen);
    await recorder.close();
    const jwe = recorder.requests[0]?.body ?? '';
    expect(jwe.split('.')).toHaveLength(5);

    expect((await post(req.idempotencyKey, jwe)).status).toBe(200);
    const again = await post(req.idempotencyKey, jwe);
    expect(again).toMatchObject({ status: 200, headers: { 'idempotent-replayed': 'true' } });
    const stolen = await post(`${req.idempotencyKey}-other`, jwe);
    expect(stolen.status).toBe(400);
    expect(JSON.parse(stolen.body)).toEqual({
      error: { type: 'invalid_request_error', code: 'idempotency_key_mismatch' },
    });
    const charges = await sandbox.charges();
    expect(charges[req.idempotencyKey]).toMatchObject({ charges: 1, requests: 2, outcome: 'succeeded' });
    expect(charges[`${req.idempotencyKey}-other`]).toBeUndefined();
    console.info(
      'replay: same key 1 charge for 2 requests; another key 400 idempotency_key_mismatch, 0 charges',
    );
  });

  it('a payload issued six minutes ago is refused as stale, charging nothing', async () => {
    const sixMinutesAgo: Clock = { now: () => Date.now() - 6 * 60_000, monotonic: () => performance.now() };
    const req = tokeniseRequest(CARD);
    const error = await tokeniseFailure(
      await connector(`${sandbox.url}/v1/tokens`, sixMinutesAgo),
      req,
      seen,
    );
    expect(error).toMatchObject({ code: 'GW_ERR_PROCESSOR_REJECTED', retryable: false });
    expect(error.message).toContain('stale_request');
    expect((await sandbox.charges())[req.idempotencyKey]).toBeUndefined();
    // the same request issued now is charged once
    const now = tokeniseRequest(CARD);
    expect(await (await connector(`${sandbox.url}/v1/tokens`)).tokenise(now)).toMatchObject({
      outcome: 'success',
    });
    expect((await sandbox.charges())[now.idempotencyKey]).toMatchObject({ charges: 1 });
    expect(seen.join('\n')).not.toContain(CARD);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JweHttpsConnector } from '../../../src/adapters/processors/jwe-https-connector.js';
import { systemClock, systemTimers } from '../../../src/application/clock.js';
import type { LookupResult } from '../../../src/application/payments/processor-connector.js';
import { GatewayError } from '../../../src/errors.js';
import { DecryptionKeyring } from '../../../src/sandbox/decryption-keyring.js';
import { type SandboxServer, startSandboxServer } from '../../../src/sandbox/sandbox-server.js';
import { captureLogs } from '../../support/log-capture.js';
import { RecordingProcessor } from './recording-processor.js';
import {
  cardNumbersIn,
  type DevKeySet,
  httpsGet,
  makeDevKeys,
  SANDBOX_CARDS,
  tokeniseFailure,
  tokeniseRequest,
} from './support.js';

/**
 * Lookup (docs/processor-protocol.md section 7): the JWE connector asks the sandbox what it did under
 * an idempotency key, for every outcome the sandbox's test cards give.
 */

const CARDS = SANDBOX_CARDS;
const HOLD_MS = 600;

const logs = captureLogs();
const seen: string[] = [];
let keys: DevKeySet;
let sandbox: SandboxServer;
let client: JweHttpsConnector;

beforeAll(async () => {
  keys = makeDevKeys(1);
  sandbox = await startSandboxServer({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: keys.serverCert, key: keys.serverKey, ca: keys.ca },
    keyring: await DecryptionKeyring.fromPems([{ label: 'enc-1', pem: keys.encryptionKeys[0] ?? '' }]),
    logger: logs.logger,
    hangMs: HOLD_MS,
  });
  client = await connectorTo(sandbox.tokensUrl);
});

afterAll(async () => {
  await client?.close();
  await sandbox?.close();
  keys?.remove();
});

function connectorTo(url: string): Promise<JweHttpsConnector> {
  return JweHttpsConnector.create({
    name: 'sandbox',
    url,
    encryptionCertificate: keys.encryptionCerts[0] ?? '',
    tls: { cert: keys.clientCert, key: keys.clientKey, ca: keys.ca },
    attemptTimeoutMs: 200,
    retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, deadlineMs: 2_000 },
    logger: logs.logger,
    clock: systemClock,
    timers: systemTimers,
  });
}

async function lookup(paymentId: string, idempotencyKey: string, via = client): Promise<LookupResult> {
  const found = await via.lookup({ paymentId, idempotencyKey });
  seen.push(JSON.stringify(found));
  return found;
}

async function chargesOf(key: string) {
  const reply = await httpsGet(`https://127.0.0.1:${sandbox.port}/_sandbox/charges`, {
    ca: keys.ca,
    cert: keys.clientCert,
    key: keys.clientKey,
  });
  return (JSON.parse(reply.body) as { keys: Record<string, unknown> }).keys[key];
}

describe('lookup against the sandbox', () => {
  it('finds a charge: the result tokenise gave, and asking does not count as a request', async () => {
    const req = tokeniseRequest(CARDS.success);
    const result = await client.tokenise(req);
    expect(await lookup(req.paymentId, req.idempotencyKey)).toEqual({ found: 'result', result });
    expect(await chargesOf(req.idempotencyKey)).toEqual({
      paymentId: req.paymentId,
      charges: 1,
      requests: 1,
      outcome: 'succeeded',
    });
  });

  it('finds a decline', async () => {
    const req = tokeniseRequest(CARDS.declined);
    const result = await client.tokenise(req);
    expect(result.outcome).toBe('declined');
    expect(await lookup(req.paymentId, req.idempotencyKey)).toEqual({ found: 'result', result });
  });

  it('finds nothing under a key it never saw, or one refused before it was remembered', async () => {
    expect(await lookup('pay_none', 'never-sent:tokenise')).toEqual({ found: 'nothing' });
  });

  it('finds nothing charged under a key whose request failed with a 500 (its key is spent, the answer final)', async () => {
    const req = tokeniseRequest(CARDS.processingError);
    await tokeniseFailure(client, req, seen);
    expect(await lookup(req.paymentId, req.idempotencyKey)).toEqual({ found: 'nothing' });
  });

  it('finds a held request pending, then, when the hold ends, the charge whose reply was lost', async () => {
    const req = tokeniseRequest(CARDS.noAnswer);
    const error = await tokeniseFailure(client, req, seen);
    expect(error).toMatchObject({ code: 'GW_ERR_PROCESSOR_TIMEOUT', notSent: false });
    expect(await lookup(req.paymentId, req.idempotencyKey)).toEqual({ found: 'pending' });
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS + 50));
    const found = await lookup(req.paymentId, req.idempotencyKey);
    expect(found).toMatchObject({
      found: 'result',
      result: { outcome: 'success', last4: '0101', chargeId: expect.stringMatching(/^ch_/) },
    });
    // a retry under the key now gets that same charge, replayed: still one
    expect(await client.tokenise(req)).toEqual(found.found === 'result' ? found.result : undefined);
    expect(await chargesOf(req.idempotencyKey)).toMatchObject({ charges: 1, outcome: 'succeeded' });
  });

  it('percent-encodes the key in the path: any printable key comes back to the same request', async () => {
    const req = tokeniseRequest(CARDS.success, { idempotencyKey: `tw:${randomUUID()}/a?b#c%d+f&g` });
    const result = await client.tokenise(req);
    expect(await lookup(req.paymentId, req.idempotencyKey)).toEqual({ found: 'result', result });
  });
});

describe('lookup replies the connector does not take for an answer', () => {
  let recorder: RecordingProcessor;
  let viaRecorder: JweHttpsConnector;
  beforeAll(async () => {
    recorder = await RecordingProcessor.start({ cert: keys.serverCert, key: keys.serverKey, ca: keys.ca });
    viaRecorder = await connectorTo(recorder.url);
  });
  afterAll(async () => {
    await viaRecorder?.close();
    await recorder?.close();
  });

  it.each([
    [
      'a plain 404 (a processor without lookups)',
      404,
      '{"error":{"code":"not_found"}}',
      'GW_ERR_PROCESSOR_PROTOCOL',
      false,
    ],
    ['a 410 without its code', 410, '', 'GW_ERR_PROCESSOR_PROTOCOL', false],
    ['a 503', 503, '', 'GW_ERR_PROCESSOR_UNAVAILABLE', true],
    ['a 200 that is no token reply', 200, '{"status":"ok"}', 'GW_ERR_PROCESSOR_PROTOCOL', false],
    ['a 401', 401, '{"error":{"code":"client_certificate_required"}}', 'GW_ERR_PROCESSOR_REJECTED', false],
  ])('%s → %s', async (_name, status, body, code, retryable) => {
    recorder.answerNextWith({ status, body });
    const error = await viaRecorder
      .lookup({ paymentId: 'pay_1', idempotencyKey: 'k/1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code, retryable });
    expect(recorder.requests[0]).toMatchObject({ method: 'GET', path: '/v1/tokens/k%2F1', body: '' });
  });

  it('maps a 202 to pending and a 404 no_such_request to nothing', async () => {
    recorder.answerNextWith({ status: 202, body: '{"status":"processing"}' });
    expect(await lookup('pay_1', 'k1', viaRecorder)).toEqual({ found: 'pending' });
    recorder.answerNextWith({
      status: 404,
      body: '{"error":{"type":"invalid_request_error","code":"no_such_request"}}',
    });
    expect(await lookup('pay_1', 'k1', viaRecorder)).toEqual({ found: 'nothing' });
  });
});

describe('card data', () => {
  it('is in no lookup answer or log line', () => {
    const texts = [...logs.lines, ...seen];
    expect(cardNumbersIn(texts, Object.values(CARDS))).toEqual([]);
    expect(logs.text()).toContain('"msg":"processor lookup"');
  });
});

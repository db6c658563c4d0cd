import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  JweHttpsConnector,
  type JweHttpsConnectorOptions,
} from '../../../src/adapters/processors/jwe-https-connector.js';
import { type Clock, systemClock, systemTimers } from '../../../src/application/clock.js';
import type {
  ProcessorConnector,
  ProcessorResult,
  TokeniseRequest,
} from '../../../src/application/payments/processor-connector.js';
import { createProcessorConnector } from '../../../src/composition/create-connector.js';
import { DecryptionKeyring } from '../../../src/sandbox/decryption-keyring.js';
import { type SandboxServer, startSandboxServer } from '../../../src/sandbox/sandbox-server.js';
import { captureLogs } from '../../support/log-capture.js';
import { RecordingProcessor } from './recording-processor.js';
import {
  cardNumbersIn,
  type DevKeySet,
  httpsGet,
  httpsSend,
  makeDevKeys,
  SANDBOX_CARDS,
  tokeniseFailure,
  tokeniseRequest,
} from './support.js';

const CARDS = SANDBOX_CARDS;

const connectorLogs = captureLogs();
const sandboxLogs = captureLogs();
/** Every result, error message and raw reply the tests saw, scanned for card numbers at the end. */
const replies: string[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

let keys: DevKeySet;
let foreign: DevKeySet;
let sandbox: SandboxServer;

beforeAll(async () => {
  keys = makeDevKeys(2);
  foreign = makeDevKeys(1); // another CA, another encryption key: what the sandbox must refuse
  cleanups.push(keys.remove, foreign.remove);
  sandbox = await startSandboxServer({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: keys.serverCert, key: keys.serverKey, ca: keys.ca },
    keyring: await DecryptionKeyring.fromPems(
      keys.encryptionKeys.map((pem, i) => ({ label: `enc-${i + 1}`, pem })),
    ),
    logger: sandboxLogs.logger,
    hangMs: 10_000,
  });
  cleanups.push(() => sandbox.close());
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function connector(overrides: Partial<JweHttpsConnectorOptions> = {}): Promise<JweHttpsConnector> {
  const created = await JweHttpsConnector.create({
    name: 'sandbox',
    url: sandbox.tokensUrl,
    encryptionCertificate: keys.encryptionCerts[0] ?? '',
    tls: { cert: keys.clientCert, key: keys.clientKey, ca: keys.ca },
    attemptTimeoutMs: 400,
    retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100, deadlineMs: 5_000 },
    logger: connectorLogs.logger,
    clock: systemClock,
    timers: systemTimers,
    ...overrides,
  });
  cleanups.push(() => created.close());
  return created;
}

const request = tokeniseRequest;

async function tokenise(client: ProcessorConnector, req: TokeniseRequest): Promise<ProcessorResult> {
  const result = await client.tokenise(req);
  replies.push(JSON.stringify(result));
  return result;
}

const failure = (client: ProcessorConnector, req: TokeniseRequest) => tokeniseFailure(client, req, replies);

async function chargesFor(key: string) {
  const reply = await httpsGet(`https://127.0.0.1:${sandbox.port}/_sandbox/charges`, {
    ca: keys.ca,
    cert: keys.clientCert,
    key: keys.clientKey,
  });
  replies.push(reply.body);
  expect(reply.status).toBe(200);
  return (
    JSON.parse(reply.body) as { keys: Record<string, { charges: number; requests: number; outcome: string }> }
  ).keys[key];
}

describe('JWE connector against the sandbox processor (mTLS, in process, port 0)', () => {
  it('tokenises and charges 4242…: token, last4, brand, charge; one charge recorded', async () => {
    const client = await connector();
    const req = request(CARDS.success);
    const result = await tokenise(client, req);
    expect(result).toMatchObject({
      outcome: 'success',
      token: expect.stringMatching(/^tok_/),
      last4: '4242',
      brand: 'visa',
      chargeId: expect.stringMatching(/^ch_/),
      confirmationCode: expect.stringMatching(/^[A-Z2-9]{6}$/),
    });
    expect(await chargesFor(req.idempotencyKey)).toEqual({
      paymentId: req.paymentId,
      charges: 1,
      requests: 1,
      outcome: 'succeeded',
    });
  });

  it('tokenises without charging when there is no amount; a reusable token has its own prefix', async () => {
    const client = await connector();
    const oneTime = await tokenise(client, request(CARDS.otherValid, { chargeAmount: undefined }));
    expect(oneTime).toEqual({
      outcome: 'success',
      token: expect.stringMatching(/^tok_/),
      last4: '4444',
      brand: 'mastercard',
    });
    const reusable = await tokenise(
      client,
      request(CARDS.success, { chargeAmount: '0.00', tokenType: 'reusable' }),
    );
    expect(reusable).toMatchObject({ outcome: 'success', token: expect.stringMatching(/^card_/) });
    expect(reusable).not.toHaveProperty('chargeId');
  });

  it('returns a decline as a result: card_declined', async () => {
    const client = await connector();
    const req = request(CARDS.declined);
    expect(await tokenise(client, req)).toEqual({
      outcome: 'declined',
      declineCode: 'card_declined',
      reason: 'The card was declined.',
    });
    expect(await chargesFor(req.idempotencyKey)).toEqual({
      paymentId: req.paymentId,
      charges: 1,
      requests: 1,
      outcome: 'declined',
    });
  });

  it('returns a decline as a result: insufficient_funds', async () => {
    const client = await connector();
    expect(await tokenise(client, request(CARDS.insufficient))).toMatchObject({
      outcome: 'declined',
      declineCode: 'insufficient_funds',
    });
  });

  it('retries a processing error (HTTP 500) with the same idempotency key; exactly one charge', async () => {
    const client = await connector();
    const req = request(CARDS.processingError);
    const error = await failure(client, req);
    expect(error.code).toBe('GW_ERR_PROCESSOR_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error.notSent).toBe(false); // a 5xx: the processor had the request
    expect(await chargesFor(req.idempotencyKey)).toEqual({
      paymentId: req.paymentId,
      charges: 1,
      requests: 3,
      outcome: 'error',
    });
  });

  it('times out on the no-answer card after its retries, with at most one charge', async () => {
    const client = await connector({ attemptTimeoutMs: 250 });
    const req = request(CARDS.noAnswer);
    const started = performance.now();
    const error = await failure(client, req);
    expect(error.code).toBe('GW_ERR_PROCESSOR_TIMEOUT');
    expect(error.notSent).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 250);
    const counts = await chargesFor(req.idempotencyKey);
    expect(counts?.charges).toBeLessThanOrEqual(1);
    expect(counts).toMatchObject({ requests: 3, outcome: 'pending' });
  });

  it('is idempotent: the same key and body get the same answer; another body under the key is refused', async () => {
    const client = await connector();
    const req = request(CARDS.success);
    const first = await tokenise(client, req);
    const again = await tokenise(client, req);
    expect(again).toEqual(first);
    expect(await chargesFor(req.idempotencyKey)).toEqual({
      paymentId: req.paymentId,
      charges: 1,
      requests: 2,
      outcome: 'succeeded',
    });
    const error = await failure(client, { ...req, chargeAmount: '99.00' });
    expect(error.code).toBe('GW_ERR_PROCESSOR_REJECTED');
    expect(error.message).toContain('idempotency_key_reused');
    expect(await chargesFor(req.idempotencyKey)).toEqual({
      paymentId: req.paymentId,
      charges: 1,
      requests: 3,
      outcome: 'succeeded',
    });
  });

  it('accepts either of two active encryption keys (rotation)', async () => {
    const oldKey = await connector({ encryptionCertificate: keys.encryptionCerts[0] ?? '' });
    const newKey = await connector({ encryptionCertificate: keys.encryptionCerts[1] ?? '' });
    expect(oldKey.keyId).not.toBe(newKey.keyId);
    expect(await tokenise(oldKey, request(CARDS.success))).toMatchObject({ outcome: 'success' });
    expect(await tokenise(newKey, request(CARDS.success))).toMatchObject({ outcome: 'success' });
    const kids = sandboxLogs.lines.map((line) => (JSON.parse(line) as { kid?: string }).kid);
    expect(kids).toContain(oldKey.keyId);
    expect(kids).toContain(newKey.keyId);
  });

  it('refuses a JWE for an unknown kid, without retrying and without a charge', async () => {
    const client = await connector({ encryptionCertificate: foreign.encryptionCerts[0] ?? '' });
    const req = request(CARDS.success);
    const error = await failure(client, req);
    expect(error).toMatchObject({ code: 'GW_ERR_PROCESSOR_REJECTED', retryable: false });
    expect(error.message).toContain('unknown_kid');
    expect(await chargesFor(req.idempotencyKey)).toBeUndefined();
  });

  it('refuses a kid that names an active key when the JWE was made for another key', async () => {
    const active = await connector();
    const client = await connector({
      encryptionCertificate: foreign.encryptionCerts[0] ?? '',
      keyId: active.keyId,
    });
    const error = await failure(client, request(CARDS.success));
    expect(error.code).toBe('GW_ERR_PROCESSOR_REJECTED');
    expect(error.message).toContain('invalid_jwe');
  });

  it('is refused in the TLS handshake with a client certificate from another CA', async () => {
    const client = await connector({
      tls: { cert: foreign.clientCert, key: foreign.clientKey, ca: keys.ca },
    });
    const req = request(CARDS.success);
    const error = await failure(client, req);
    // Under TLS 1.3 the server refuses our certificate after we wrote the request: from our side a
    // reset after writing, which cannot be told from one after the processor read it (not notSent).
    expect(error).toMatchObject({ code: 'GW_ERR_PROCESSOR_UNAVAILABLE', notSent: false });
    expect(await chargesFor(req.idempotencyKey)).toBeUndefined();
  });

  it('refuses a processor whose server certificate it does not trust, without retrying; nothing was sent', async () => {
    const client = await connector({ tls: { cert: keys.clientCert, key: keys.clientKey, ca: foreign.ca } });
    const error = await failure(client, request(CARDS.success));
    expect(error).toMatchObject({ code: 'GW_ERR_PROCESSOR_UNAVAILABLE', retryable: false, notSent: true });
    expect(error.message).toContain('TLS');
  });

  it('says nothing was sent when every attempt found the port closed', async () => {
    const closed = await RecordingProcessor.start({
      cert: keys.serverCert,
      key: keys.serverKey,
      ca: keys.ca,
    });
    const url = closed.url;
    await closed.close();
    const error = await failure(await connector({ url }), request(CARDS.success));
    expect(error).toMatchObject({ code: 'GW_ERR_PROCESSOR_UNAVAILABLE', notSent: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('serves the admin endpoint only over mutual TLS', async () => {
    await expect(
      httpsGet(`https://127.0.0.1:${sandbox.port}/_sandbox/charges`, { ca: keys.ca }),
    ).rejects.toThrow();
  });

  it('closes a held no-answer response after its hold time, and on shutdown', async () => {
    const held = await startSandboxServer({
      host: '127.0.0.1',
      port: 0,
      tls: { cert: keys.serverCert, key: keys.serverKey, ca: keys.ca },
      keyring: await DecryptionKeyring.fromPems([{ label: 'enc-1', pem: keys.encryptionKeys[0] ?? '' }]),
      logger: sandboxLogs.logger,
      hangMs: 150,
    });
    try {
      const client = await connector({
        url: held.tokensUrl,
        attemptTimeoutMs: 3_000,
        retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, deadlineMs: 5_000 },
      });
      const started = performance.now();
      const error = await failure(client, request(CARDS.noAnswer));
      expect(error.code).toBe('GW_ERR_PROCESSOR_UNAVAILABLE'); // the socket was closed, not timed out
      expect(error.notSent).toBe(false); // closed after the request was written
      expect(performance.now() - started).toBeLessThan(2_000);

      const pending = failure(
        await connector({
          url: held.tokensUrl,
          attemptTimeoutMs: 3_000,
          retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, deadlineMs: 5_000 },
        }),
        request(CARDS.noAnswer),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      const closing = performance.now();
      await held.close();
      expect(performance.now() - closing).toBeLessThan(1_000);
      expect((await pending).code).toBe('GW_ERR_PROCESSOR_UNAVAILABLE');
    } finally {
      await held.close();
    }
  });

  it('refuses a charge amount its currency cannot have, before sending anything', async () => {
    const client = await connector();
    const error = await failure(client, request(CARDS.success, { chargeAmount: '10.5', currency: 'jpy' }));
    expect(error.code).toBe('GW_ERR_INVALID_AMOUNT');
  });
});

describe('the payload bound to its request (docs/processor-protocol.md 4.1)', () => {
  /** The bytes the connector sends for `req`, caught by a recording processor. */
  async function capturedJwe(req: TokeniseRequest): Promise<string> {
    const recorder = await RecordingProcessor.start({
      cert: keys.serverCert,
      key: keys.serverKey,
      ca: keys.ca,
    });
    try {
      recorder.answerNextWith({ status: 503, body: '' });
      await failure(
        await connector({
          url: recorder.url,
          retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, deadlineMs: 2_000 },
        }),
        req,
      );
      return recorder.requests[0]?.body ?? '';
    } finally {
      await recorder.close();
    }
  }

  const post = (key: string, body: string) =>
    httpsSend(
      sandbox.tokensUrl,
      { ca: keys.ca, cert: keys.clientCert, key: keys.clientKey },
      {
        method: 'POST',
        headers: { 'content-type': 'application/jose', accept: 'application/json', 'idempotency-key': key },
        body,
      },
    ).then((reply) => {
      replies.push(reply.body);
      return reply;
    });

  it('replays the same bytes under the same key as one charge, and refuses them under another key', async () => {
    const req = request(CARDS.success);
    const jwe = await capturedJwe(req);
    const first = await post(req.idempotencyKey, jwe);
    expect(first.status).toBe(200);
    const again = await post(req.idempotencyKey, jwe);
    expect(again).toMatchObject({
      status: 200,
      body: first.body,
      headers: { 'idempotent-replayed': 'true' },
    });
    expect(await chargesFor(req.idempotencyKey)).toEqual({
      paymentId: req.paymentId,
      charges: 1,
      requests: 2,
      outcome: 'succeeded',
    });

    const stolen = await post(`${req.idempotencyKey}-again`, jwe);
    expect(stolen.status).toBe(400);
    expect(JSON.parse(stolen.body)).toEqual({
      error: { type: 'invalid_request_error', code: 'idempotency_key_mismatch' },
    });
    expect(await chargesFor(`${req.idempotencyKey}-again`)).toBeUndefined();
  });

  it('refuses a payload issued more than five minutes ago (a stale clock or a kept ciphertext), charging nothing', async () => {
    const sixMinutesAgo: Clock = { now: () => Date.now() - 6 * 60_000, monotonic: () => performance.now() };
    const client = await connector({ clock: sixMinutesAgo });
    const req = request(CARDS.success);
    const error = await failure(client, req);
    expect(error).toMatchObject({ code: 'GW_ERR_PROCESSOR_REJECTED', retryable: false });
    expect(error.message).toContain('stale_request');
    expect(await chargesFor(req.idempotencyKey)).toBeUndefined();
    const fourMinutesAhead: Clock = {
      now: () => Date.now() + 4 * 60_000,
      monotonic: () => performance.now(),
    };
    expect(
      await tokenise(await connector({ clock: fourMinutesAhead }), request(CARDS.success)),
    ).toMatchObject({
      outcome: 'success',
    });
  });
});

describe('createProcessorConnector', () => {
  it('builds the sandbox connector from key files and tokenises through it', async () => {
    const client = await createProcessorConnector(
      {
        kind: 'sandbox',
        url: sandbox.tokensUrl,
        encryptionCertFile: `${keys.dir}/processor-enc-2.pem`,
        clientCertFile: `${keys.dir}/gateway-client.pem`,
        clientKeyFile: `${keys.dir}/gateway-client.key`,
        caFile: `${keys.dir}/ca.pem`,
        attemptTimeoutMs: 1_000,
        retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10, deadlineMs: 3_000 },
      },
      connectorLogs.logger,
      { clock: systemClock, timers: systemTimers },
    );
    cleanups.push(() => client.close());
    expect(await tokenise(client, request(CARDS.success))).toMatchObject({ outcome: 'success' });
  });

  it('names a missing key file as a configuration error', async () => {
    await expect(
      createProcessorConnector(
        {
          kind: 'jwe',
          url: sandbox.tokensUrl,
          encryptionCertFile: `${keys.dir}/nope.pem`,
          clientCertFile: `${keys.dir}/gateway-client.pem`,
          clientKeyFile: `${keys.dir}/gateway-client.key`,
          caFile: `${keys.dir}/ca.pem`,
          attemptTimeoutMs: 1_000,
          retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, deadlineMs: 3_000 },
        },
        connectorLogs.logger,
        { clock: systemClock, timers: systemTimers },
      ),
    ).rejects.toMatchObject({ code: 'GW_ERR_CONFIG' });
  });
});

describe('card data', () => {
  it('wrote no card number into any log line, error or reply', () => {
    expect(connectorLogs.lines.length).toBeGreaterThan(10);
    expect(sandboxLogs.lines.length).toBeGreaterThan(10);
    const texts = [...connectorLogs.lines, ...sandboxLogs.lines, ...replies];
    expect(cardNumbersIn(texts, Object.values(CARDS))).toEqual([]);
    // The sandbox logs last4 at most, and the connector logs no card field at all.
    expect(sandboxLogs.text()).toContain('"last4":"4242"');
    expect(connectorLogs.text()).not.toMatch(/securityCode|postalCode|"number"|expMonth/);
  });
});

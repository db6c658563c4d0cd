import { createPrivateKey, randomUUID, X509Certificate } from 'node:crypto';
import { CompactEncrypt, type CompactJWEHeaderParameters, compactDecrypt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JweHttpsConnector } from '../../../src/adapters/processors/jwe-https-connector.js';
import { keyIdOf } from '../../../src/adapters/processors/key-id.js';
import { mapProcessorReply } from '../../../src/adapters/processors/map-processor-reply.js';
import { type Clock, systemClock, systemTimers } from '../../../src/application/clock.js';
import { GatewayError } from '../../../src/errors.js';
import { DecryptionKeyring } from '../../../src/sandbox/decryption-keyring.js';
import { rsaKeyThumbprint } from '../../../src/sandbox/jwk-thumbprint.js';
import { type SandboxServer, startSandboxServer } from '../../../src/sandbox/sandbox-server.js';
import { captureLogs } from '../../support/log-capture.js';
import {
  bodyMismatches,
  type FixtureCase,
  type FixtureExchange,
  loadFixtures,
  testOnlyEncryptionKey,
} from './protocol-fixtures.js';
import { RecordingProcessor } from './recording-processor.js';
import { cardNumbersIn, type DevKeySet, httpsSend, makeDevKeys } from './support.js';

/**
 * docs/processor-protocol.md's fixtures, run against both ends of the protocol:
 * - the gateway's JWE connector talks to a recording processor: what it sends must be the fixture's
 *   request (headers, JWE header, payload), and the fixture's reply must come out as its result;
 * - the sandbox processor (in process, mTLS, port 0) gets the fixture's request and must answer
 *   the fixture's reply.
 * A fixture payload leaves out the fields that bind it to its request (section 4.1) unless a case is
 * about them: the connector must add `idempotencyKey` (the header's), `iat` (its clock, seconds) and
 * a `jti`; the sandbox gets them added here, `iat` now and a fresh `jti`.
 */

type TokeniseRequest = Parameters<JweHttpsConnector['tokenise']>[0];
type ProcessorResult = Awaited<ReturnType<JweHttpsConnector['tokenise']>>;

const fixtures = loadFixtures();
const testKey = testOnlyEncryptionKey();
const privateKey = createPrivateKey(testKey.privateKey);
const publicKey = new X509Certificate(testKey.certificate).publicKey;
const FIXTURE_KID = fixtures[0]?.exchanges[0]?.request.jwe?.kid ?? '';

/** The connector's wall clock: fixed, so the `iat` it writes is known. */
const CONNECTOR_NOW_MS = Date.now();
const connectorClock: Clock = { now: () => CONNECTOR_NOW_MS, monotonic: () => systemClock.monotonic() };
const JTI = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The fixture's payload with the binding fields (section 4.1) it does not state itself. */
function boundPayload(exchange: FixtureExchange, iat: number, jti: string): Record<string, unknown> {
  const { payload, headers } = exchange.request;
  const key = headers['idempotency-key'];
  return { ...(key === undefined ? {} : { idempotencyKey: key }), iat, jti, ...payload };
}

const connectorLogs = captureLogs();
const sandboxLogs = captureLogs();
/** Every reply and result either side produced, scanned for card numbers at the end. */
const seen: string[] = [];

let tls: DevKeySet;
let sandbox: SandboxServer;
let recorder: RecordingProcessor;
let connector: JweHttpsConnector;

beforeAll(async () => {
  tls = makeDevKeys(1);
  sandbox = await startSandboxServer({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: tls.serverCert, key: tls.serverKey, ca: tls.ca },
    keyring: await DecryptionKeyring.fromPems([{ label: 'TEST-ONLY', pem: testKey.privateKey }]),
    logger: sandboxLogs.logger,
    hangMs: 1_000,
  });
  recorder = await RecordingProcessor.start({ cert: tls.serverCert, key: tls.serverKey, ca: tls.ca });
  connector = await JweHttpsConnector.create({
    name: 'fixtures',
    url: recorder.url,
    encryptionCertificate: testKey.certificate,
    tls: { cert: tls.clientCert, key: tls.clientKey, ca: tls.ca },
    attemptTimeoutMs: 5_000,
    retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, deadlineMs: 10_000 },
    logger: connectorLogs.logger,
    clock: connectorClock,
    timers: systemTimers,
  });
});

afterAll(async () => {
  await connector?.close();
  await recorder?.close();
  await sandbox?.close();
  tls?.remove();
});

/** The connector's input that should produce the fixture's payload and idempotency key. */
function tokeniseRequestOf(exchange: FixtureExchange): TokeniseRequest {
  const { headers, payload } = exchange.request;
  return { ...payload, idempotencyKey: headers['idempotency-key'] ?? '' } as unknown as TokeniseRequest;
}

async function settle(run: () => Promise<ProcessorResult> | ProcessorResult): Promise<unknown> {
  try {
    const result = await run();
    seen.push(JSON.stringify(result));
    return result;
  } catch (error) {
    if (error instanceof GatewayError) seen.push(error.message);
    return error;
  }
}

function expectConnectorOutcome(outcome: unknown, expected: FixtureExchange['connector']): void {
  if (expected.result !== undefined) expect(outcome).toEqual(expected.result);
  else {
    expect(outcome).toBeInstanceOf(GatewayError);
    expect(outcome).toMatchObject(expected.error ?? {});
  }
}

function replyText(reply: FixtureExchange['reply']): string {
  return reply.rawBody ?? JSON.stringify(reply.body ?? {});
}

async function connectorExchange(exchange: FixtureExchange): Promise<void> {
  const { request, reply, connector: expected } = exchange;
  if (expected.refusal !== undefined) {
    recorder.answerNextWith({ status: 500, body: '' });
    const refused = await settle(() => connector.tokenise(tokeniseRequestOf(exchange)));
    expect(refused).toMatchObject({ code: expected.refusal });
    expect(recorder.requests).toEqual([]);
  }
  if (!expected.sends) {
    expectConnectorOutcome(
      await settle(() => mapProcessorReply({ status: reply.status, body: replyText(reply) }, 'fixtures')),
      expected,
    );
    return;
  }
  recorder.answerNextWith({ status: reply.status, body: replyText(reply) });
  const outcome = await settle(() => connector.tokenise(tokeniseRequestOf(exchange)));
  expect(recorder.requests).toHaveLength(1);
  const [sent] = recorder.requests;
  expect(sent).toMatchObject({ method: 'POST', path: '/v1/tokens', headers: request.headers });
  const { plaintext, protectedHeader } = await compactDecrypt(sent?.body ?? '', privateKey);
  expect(protectedHeader).toEqual(request.jwe);
  const { jti, ...received } = JSON.parse(new TextDecoder().decode(plaintext)) as Record<string, unknown>;
  expect(jti).toMatch(JTI);
  const { jti: _any, ...bound } = boundPayload(exchange, Math.floor(CONNECTOR_NOW_MS / 1000), '');
  expect(received).toEqual(bound);
  expectConnectorOutcome(outcome, expected);
}

async function sandboxBody(exchange: FixtureExchange): Promise<string> {
  const { body, jwe } = exchange.request;
  if (body !== undefined) return body;
  const payload = boundPayload(exchange, Math.floor(Date.now() / 1000), randomUUID());
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader((jwe ?? {}) as CompactJWEHeaderParameters)
    .encrypt(publicKey);
}

async function sandboxExchange(exchange: FixtureExchange, earlier: unknown[]): Promise<void> {
  const { request, reply } = exchange;
  const answer = await httpsSend(
    sandbox.tokensUrl,
    { ca: tls.ca, cert: tls.clientCert, key: tls.clientKey },
    { method: 'POST', headers: request.headers, body: await sandboxBody(exchange) },
  );
  seen.push(answer.body);
  expect(answer.status).toBe(reply.status);
  expect(answer.headers['idempotent-replayed']).toBe(reply.headers?.['idempotent-replayed']);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  earlier.push(body);
  if (reply.sameBodyAs !== undefined) expect(body).toEqual(earlier[reply.sameBodyAs]);
  else expect(bodyMismatches(body, reply.body ?? {}, reply.patterns)).toEqual([]);
}

const on = (side: 'connector' | 'sandbox') => fixtures.filter((fixture) => fixture.sides.includes(side));
const title = (fixture: FixtureCase) => `${fixture.file} ${fixture.name}: ${fixture.summary}`;

describe('the fixtures', () => {
  it('are there, with idempotency keys that no two cases share', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    const keysByCase = fixtures.map(
      (fixture) => new Set(fixture.exchanges.map((exchange) => exchange.request.headers['idempotency-key'])),
    );
    const all = keysByCase.flatMap((keys) => [...keys].filter((key) => key !== undefined));
    expect(new Set(all).size).toBe(all.length);
  });

  it('name the TEST-ONLY key by the kid both sides derive from it', async () => {
    expect(FIXTURE_KID).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await keyIdOf(publicKey)).toBe(FIXTURE_KID);
    expect(rsaKeyThumbprint(privateKey)).toBe(FIXTURE_KID);
    expect(rsaKeyThumbprint(publicKey)).toBe(FIXTURE_KID);
  });

  it('hold recorded JWEs that decrypt to the payload they state', async () => {
    const recorded = fixtures.flatMap((fixture) =>
      fixture.exchanges.filter((exchange) => exchange.request.body && exchange.request.payload),
    );
    expect(recorded.length).toBeGreaterThan(0);
    for (const { request } of recorded) {
      const { plaintext, protectedHeader } = await compactDecrypt(request.body ?? '', privateKey);
      expect(protectedHeader).toEqual(request.jwe);
      expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual(request.payload);
    }
  });
});

describe('the gateway connector speaks the fixtures', () => {
  it.each(on('connector').map((fixture) => [title(fixture), fixture] as const))('%s', async (_, fixture) => {
    for (const exchange of fixture.exchanges) await connectorExchange(exchange);
  });
});

describe('the sandbox processor answers the fixtures', () => {
  it.each(on('sandbox').map((fixture) => [title(fixture), fixture] as const))('%s', async (_, fixture) => {
    const earlier: unknown[] = [];
    for (const exchange of fixture.exchanges) await sandboxExchange(exchange, earlier);
  });
});

describe('card data', () => {
  it('stays out of both sides’ logs, replies and errors', () => {
    expect(sandboxLogs.lines.length).toBeGreaterThan(5);
    const texts = [...connectorLogs.lines, ...sandboxLogs.lines, ...seen];
    expect(cardNumbersIn(texts, ['4242424242424242', '5555555555554444', '4000000000000002'])).toEqual([]);
  });
});

import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { undocumented } from '../openapi/documented-responses.js';
import {
  answerCall,
  errorCode,
  INTEGRATION_KEY,
  recordedResponses,
  startTestGateway,
  streamEndWaiter,
  type TestGateway,
} from './support.js';

const ISSUER = 'https://idp.example/realms/contact-centre';
const AUDIENCE = 'tonewall';
const CRM_KEY = 'crm-integration-key-0123456789abcdef';
/** Reads calls and payments only. */
const READER_KEY = 'reader-integration-key-0123456789ab';
/** Every scope, expired yesterday. */
const OLD_KEY = 'old-integration-key-0123456789abcdef';
const digestOf = (key: string) => createHash('sha256').update(key).digest('hex');
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

let jwks: Server;
let jwksUrl: string;
let gateway: TestGateway;
const keys = await generateKeyPair('RS256');
const strangerKeys = await generateKeyPair('RS256');

beforeAll(async () => {
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwks = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/jwks`;
  gateway = await startTestGateway({
    streamCheckMs: 200,
    env: {
      TONEWALL_JWT_JWKS_URL: jwksUrl,
      TONEWALL_JWT_ISSUER: ISSUER,
      TONEWALL_JWT_AUDIENCE: AUDIENCE,
      TONEWALL_JWT_ROLE_CLAIM: 'realm_access.roles',
      TONEWALL_JWT_AGENT_CLAIM: 'agent_id',
      TONEWALL_API_KEY_SHA256: [
        `crm:${digestOf(CRM_KEY)}/payments:write+payments:read+calls:read/${day(30)}`,
        `reader:${digestOf(READER_KEY)}/calls:read+payments:read/${day(30)}`,
        `old:${digestOf(OLD_KEY)}/payments:write+payments:read+calls:read+audit:read/${day(-1)}`,
      ].join(','),
    },
  });
});
afterAll(async () => {
  await gateway.close();
  await new Promise<void>((resolve) => jwks.close(() => resolve()));
});

function token(
  claims: JWTPayload,
  options: {
    issuer?: string;
    audience?: string;
    expires?: string | number;
    key?: Parameters<SignJWT['sign']>[0];
    kid?: string;
  } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject('user-123')
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '5m')
    .sign(options.key ?? keys.privateKey);
}

/** An agent's token with a chosen `iat` (none when undefined) and expiry. */
function tokenIssuedAt(iat: number | undefined, expires: string | number) {
  const jwt = new SignJWT(agentClaims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('user-123')
    .setExpirationTime(expires);
  return (iat === undefined ? jwt : jwt.setIssuedAt(iat)).sign(keys.privateKey);
}

const agentClaims = {
  name: 'Idp Agent',
  agent_id: 'agent-a',
  realm_access: { roles: ['agent', 'offline_access'] },
};
const get = (path: string, bearer: string) =>
  fetch(`${gateway.base}${path}`, { headers: { authorization: `Bearer ${bearer}` } });

describe('bearer JWTs from the identity provider (JWKS on port 0)', () => {
  it('accepts a valid token, maps roles and agent id, and filters calls by it', async () => {
    const mine = answerCall(gateway.registry, 'sip-jwt-a', 'agent-a');
    answerCall(gateway.registry, 'sip-jwt-b', 'agent-b');
    const jwt = await token(agentClaims);
    const session = await get('/v1/session', jwt);
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({
      user: {
        kind: 'user',
        name: 'user-123',
        displayName: 'Idp Agent',
        roles: ['agent'],
        agentId: 'agent-a',
        source: 'idp',
      },
      csrfToken: null,
    });
    const calls = (await (await get('/v1/calls', jwt)).json()) as { calls: Array<{ id: string }> };
    expect(calls.calls.map((call) => call.id)).toEqual([mine.id]);
    const created = await fetch(`${gateway.base}/v1/calls/${mine.id}/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: 'jwt-1' }),
    });
    expect(created.status).toBe(201); // no CSRF token needed: bearer
  });

  it("holds an agent to their token's own limit (max_amount) and refuses a token whose limit is not an amount", async () => {
    const call = answerCall(gateway.registry, 'sip-jwt-cap', 'agent-a');
    const capped = await token({ ...agentClaims, max_amount: '50.00' });
    const limitOf = async (jwt: string) =>
      ((await (await get('/v1/session', jwt)).json()) as { paymentLimits: { maxAmount: string } })
        .paymentLimits.maxAmount;
    expect(await limitOf(capped)).toBe('50.00');
    expect(await limitOf(await token(agentClaims))).toBe('500.00'); // no claim: the configured limit
    const pay = (amount: string) =>
      fetch(`${gateway.base}/v1/calls/${call.id}/payments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${capped}`, 'content-type': 'application/json' },
        body: JSON.stringify({ idempotencyKey: `jwt-cap-${amount}`, chargeAmount: amount, currency: 'GBP' }),
      });
    const over = await pay('60.00');
    expect(over.status).toBe(403);
    expect(await errorCode(over)).toBe('GW_ERR_FORBIDDEN');
    expect((await pay('40.00')).status).toBe(201);
    // a limit that is not an amount is not read as none (the configured one may be higher)
    for (const claim of ['lots', '-5', 12.3456, { amount: '1' }]) {
      const refused = await get('/v1/calls', await token({ ...agentClaims, max_amount: claim }));
      expect(refused.status, JSON.stringify(claim)).toBe(403);
      const text = await refused.text();
      expect(text).toContain('\\"max_amount\\" claim is not a decimal amount');
      expect(text).not.toContain('lots');
    }
  });

  it.each([
    [
      'a wrong issuer',
      () => token(agentClaims, { issuer: 'https://other.example' }),
      'bearer token "iss" claim check failed',
    ],
    [
      'a wrong audience',
      () => token(agentClaims, { audience: 'someone-else' }),
      'bearer token "aud" claim check failed',
    ],
    [
      'an expired token',
      () => token(agentClaims, { expires: Math.floor(Date.now() / 1000) - 120 }),
      'bearer token has expired',
    ],
    [
      'a key the JWKS does not hold',
      () => token(agentClaims, { key: strangerKeys.privateKey }),
      'bearer token could not be verified',
    ],
    ['an unknown kid', () => token(agentClaims, { kid: 'nope' }), 'bearer token could not be verified'],
    [
      // valid for another hour, but issued 2 h ago: TONEWALL_JWT_MAX_AGE_S (3600) caps its life
      'a token older than the maximum age',
      () => tokenIssuedAt(Math.floor(Date.now() / 1000) - 7200, Math.floor(Date.now() / 1000) + 3600),
      'bearer token has expired',
    ],
    [
      'a token without "iat" (its age cannot be checked)',
      () => tokenIssuedAt(undefined, '5m'),
      'bearer token "iat" claim check failed',
    ],
  ])('answers 401 for %s', async (_name, make, message) => {
    const response = await get('/v1/calls', await make());
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'GW_ERR_UNAUTHORIZED', message } });
  });

  it('refuses unsigned and HMAC tokens (algorithm allow-list)', async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
      ...agentClaims,
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'x',
      exp: Math.floor(Date.now() / 1000) + 60,
    };
    const unsigned = `${b64({ alg: 'none' })}.${b64(claims)}.AAAA`;
    expect((await get('/v1/calls', unsigned)).status).toBe(401);
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new Uint8Array(32));
    expect((await get('/v1/calls', hmac)).status).toBe(401);
  });

  it('answers 403 for a token without a tonewall role, or an agent without an agent id', async () => {
    const none = await get('/v1/calls', await token({ realm_access: { roles: ['offline_access'] } }));
    expect(none.status).toBe(403);
    const noAgent = await get('/v1/calls', await token({ realm_access: { roles: ['agent'] } }));
    expect(noAgent.status).toBe(403);
    const supervisor = await get(
      '/v1/payments?active=true',
      await token({ realm_access: { roles: 'supervisor' } }),
    );
    expect(supervisor.status).toBe(200);
  });

  it('answers 503 GW_ERR_IDP_UNAVAILABLE when the JWKS cannot be fetched', async () => {
    const down = await startTestGateway({
      env: {
        TONEWALL_JWT_JWKS_URL: 'http://127.0.0.1:9/jwks',
        TONEWALL_JWT_ISSUER: ISSUER,
        TONEWALL_JWT_AUDIENCE: AUDIENCE,
      },
    });
    try {
      const response = await fetch(`${down.base}/v1/calls`, {
        headers: { authorization: `Bearer ${await token(agentClaims)}` },
      });
      expect(response.status).toBe(503);
      expect(await errorCode(response)).toBe('GW_ERR_IDP_UNAVAILABLE');
    } finally {
      await down.close();
    }
  });
});

describe('integration keys, stored hashed', () => {
  it('accepts a key configured only by its SHA-256 digest, and the dev key hashed at load', async () => {
    expect((await get('/v1/calls', CRM_KEY)).status).toBe(200);
    expect((await get('/v1/calls', INTEGRATION_KEY)).status).toBe(200);
    expect((await get('/v1/calls', `${CRM_KEY}x`)).status).toBe(401);
    const config = loadConfig({ TONEWALL_API_KEY: INTEGRATION_KEY });
    expect(JSON.stringify(config.access)).not.toContain(INTEGRATION_KEY);
    expect(config.access.integrationKeys).toEqual([
      {
        name: 'development-key',
        sha256: digestOf(INTEGRATION_KEY),
        scopes: ['payments:write', 'payments:read', 'calls:read', 'calls:write', 'audit:read'],
      },
    ]);
  });

  it('lets a key do what its scopes allow and nothing else (auditor reports need audit:read)', async () => {
    const call = answerCall(gateway.registry, 'sip-scopes', 'agent-a');
    const post = (key: string) =>
      fetch(`${gateway.base}/v1/calls/${call.id}/payments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ idempotencyKey: `scopes-${key.slice(0, 4)}` }),
      });
    expect((await get('/v1/calls', READER_KEY)).status).toBe(200);
    expect((await get('/v1/payments', READER_KEY)).status).toBe(200);
    const refused = await post(READER_KEY);
    expect([refused.status, await errorCode(refused)]).toEqual([403, 'GW_ERR_FORBIDDEN']);
    expect((await post(CRM_KEY)).status).toBe(201);
    const report = await get('/v1/audit/report?from=2026-01-01&to=2026-01-02', CRM_KEY);
    expect([report.status, await errorCode(report)]).toEqual([403, 'GW_ERR_FORBIDDEN']);
  });

  it('refuses an expired key, naming it', async () => {
    const response = await get('/v1/calls', OLD_KEY);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'GW_ERR_UNAUTHORIZED', message: 'integration key "old" has expired' },
    });
  });
});

describe('an open event stream ends when its bearer credential expires', () => {
  /** Starts a payment and opens its event stream with `bearer`; resolves with a wait for the server's end, in ms. */
  async function openStream(bearer: string, sipCallId: string) {
    const call = answerCall(gateway.registry, sipCallId, 'agent-a');
    const created = await fetch(`${gateway.base}/v1/calls/${call.id}/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: `stream-${sipCallId}` }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const response = await get(`/v1/payments/${id}/events`, bearer);
    expect(response.status).toBe(200);
    return streamEndWaiter(response);
  }

  afterEach(() => {
    gateway.clock.offsetMs = 0;
  });

  it("an IdP token's, at its expiry", async () => {
    const ended = (await openStream(await token(agentClaims, { expires: '2m' }), 'sip-stream-jwt'))();
    gateway.clock.offsetMs += 3 * 60_000;
    expect(await ended).toBeLessThan(2000);
    expect(gateway.logs.text()).toMatch(/"event":"stream".*"reason":"token-expired"/);
  });

  it("an integration key's, at its expiry", async () => {
    const ended = (await openStream(CRM_KEY, 'sip-stream-key'))();
    gateway.clock.offsetMs += 31 * 86_400_000;
    expect(await ended).toBeLessThan(2000);
    expect(gateway.logs.text()).toMatch(
      /"event":"stream".*"principal":"integration:crm".*"reason":"key-expired"/,
    );
  });
});

it('answers only as docs/openapi.json documents (status, headers, body schema)', () => {
  expect(recordedResponses().length).toBeGreaterThan(0);
  expect(undocumented(recordedResponses())).toEqual([]);
});

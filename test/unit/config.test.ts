import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';

describe('loadConfig', () => {
  it('gives loopback defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.rtpengine).toMatchObject({ ngHost: '127.0.0.1', ngPort: 2223 });
    expect(config.dtmf).toEqual({
      host: '127.0.0.1',
      port: 999,
      tonesPort: 998,
      allowedSources: ['127.0.0.1'],
    });
    expect(config.kamailio).toMatchObject({ evapiHost: '127.0.0.1', evapiPort: 8448 });
    expect(config.access.integrationKeys).toEqual([]);
  });

  it('reads and coerces every setting', () => {
    const config = loadConfig({
      TONEWALL_HTTP_PORT: '9090',
      TONEWALL_DTMF_ALLOWED_SOURCES: '127.0.0.1, ::1',
      TONEWALL_DTMF_LOG_DEST: '[::1]:9998',
      TONEWALL_RPC_ADDR: '::1',
      TONEWALL_API_KEY: 'k'.repeat(20),
      TONEWALL_NG_RETRIES: '0',
      PATH: '/usr/bin',
    });
    expect(config.http.port).toBe(9090);
    expect(config.dtmf).toEqual({
      host: '::1',
      port: 9998,
      tonesPort: 9997,
      allowedSources: ['127.0.0.1', '::1'],
    });
    expect(config.kamailio.rpcUrl).toBe('http://[::1]:5071/RPC');
    // the development key is kept as its SHA-256 digest only, never as given
    expect(config.access.integrationKeys).toEqual([
      {
        name: 'development-key',
        sha256: createHash('sha256').update('k'.repeat(20)).digest('hex'),
        scopes: ['payments:write', 'payments:read', 'calls:read', 'calls:write', 'audit:read'],
      },
    ]);
    expect(JSON.stringify(config)).not.toContain('k'.repeat(20));
    expect(config.rtpengine.ngRetries).toBe(0);
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.dtmf.allowedSources)).toBe(true);
  });

  it.each([
    ['TONEWALL_HTTP_PORT', 'eighty'],
    ['TONEWALL_HTTP_PORT', '70000'],
    ['TONEWALL_NG_TIMEOUT_MS', '1'],
    ['TONEWALL_NG_RETRIES', '2.5'],
    ['TONEWALL_LOG_LEVEL', 'loud'],
    ['TONEWALL_DTMF_LOG_DEST', 'localhost'],
    ['TONEWALL_RPC_PORT', '0'],
    ['TONEWALL_API_KEY', 'short'],
  ])('rejects %s=%s naming the setting but not the value', (name, value) => {
    let message = '';
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      expect((error as { code?: string }).code).toBe('GW_ERR_CONFIG');
      message = (error as Error).message;
    }
    expect(message).toContain(name);
    expect(message).not.toContain(value);
  });

  it('accepts every TONEWALL_ setting the stack scripts read, so one environment serves both', () => {
    const scripts = ['scripts/lib/stack.sh', 'scripts/tonewall']
      .map((path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'))
      .join('\n');
    const names = [
      ...new Set([...scripts.matchAll(/\b(TONEWALL_[A-Z0-9_]+)\b/g)].map((match) => match[1] as string)),
    ];
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      expect(
        () => loadConfig({ [name]: name.endsWith('DTMF_LOG_DEST') ? '127.0.0.1:9997' : '1' }),
        name,
      ).not.toThrow(/unknown setting/);
    }
  });

  it('points the sandbox connector at keys/ under TONEWALL_ROOT by default', () => {
    const { processor } = loadConfig({ TONEWALL_ROOT: '/srv/tonewall' });
    expect(processor).toMatchObject({
      kind: 'sandbox',
      url: 'https://127.0.0.1:8443/v1/tokens',
      clientCertFile: '/srv/tonewall/keys/gateway-client.pem',
      encryptionCertFile: '/srv/tonewall/keys/processor-enc-1.pem',
      retry: { maxAttempts: 3 },
    });
  });

  it('needs a Stripe key for the Stripe connector, and never echoes it', () => {
    expect(() => loadConfig({ TONEWALL_PROCESSOR: 'stripe' })).toThrow(/TONEWALL_STRIPE_SECRET_KEY/);
    expect(() =>
      loadConfig({ TONEWALL_PROCESSOR: 'stripe', TONEWALL_STRIPE_SECRET_KEY: 'pk_test_nope' }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('pk_test_nope') }));
    const { processor } = loadConfig({
      TONEWALL_PROCESSOR: 'stripe',
      TONEWALL_STRIPE_SECRET_KEY: 'sk_test_abcdefgh123',
    });
    expect(processor.kind).toBe('stripe');
  });

  it('rejects an unknown TONEWALL_ setting (a typo)', () => {
    expect(() => loadConfig({ TONEWALL_HTTP_PROT: '1' })).toThrow(/TONEWALL_HTTP_PROT/);
  });

  it('reads a secret from <NAME>_FILE (compose secrets): one trailing newline dropped, an empty file unset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonewall-secrets-'));
    try {
      const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
      writeFileSync(join(dir, 'webhook'), `${secret}\n`);
      writeFileSync(join(dir, 'metrics'), 'metrics-token-0123456789abcdef');
      writeFileSync(join(dir, 'empty'), '');
      const config = loadConfig({
        TONEWALL_WEBHOOK_SECRET_FILE: join(dir, 'webhook'),
        TONEWALL_WEBHOOK_HOSTS: 'crm.example.com',
        TONEWALL_METRICS_TOKEN_FILE: join(dir, 'metrics'),
      });
      expect(config.webhooks?.secrets).toEqual([secret]);
      expect(config.metricsToken).toBe('metrics-token-0123456789abcdef');
      expect(loadConfig({ TONEWALL_METRICS_TOKEN_FILE: join(dir, 'empty') }).metricsToken).toBeUndefined();
      // both, or a file that is not there: refused, naming the variable and never the value
      expect(() =>
        loadConfig({
          TONEWALL_METRICS_TOKEN: 'x'.repeat(32),
          TONEWALL_METRICS_TOKEN_FILE: join(dir, 'metrics'),
        }),
      ).toThrow(/GW_ERR_CONFIG|TONEWALL_METRICS_TOKEN: set it or TONEWALL_METRICS_TOKEN_FILE, not both/);
      const missing = () => loadConfig({ TONEWALL_WEBHOOK_SECRET_FILE: join(dir, 'nope') });
      expect(missing).toThrow(/TONEWALL_WEBHOOK_SECRET_FILE: the file cannot be read \(ENOENT\)/);
      expect(missing).toThrow(expect.objectContaining({ message: expect.not.stringContaining(dir) }));
      // only secrets come from files
      expect(() => loadConfig({ TONEWALL_HTTP_PORT_FILE: join(dir, 'metrics') })).toThrow(
        /TONEWALL_HTTP_PORT_FILE/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loadConfig: HTTP access settings', () => {
  it('defaults to local sign-in from .run/<run name>/users.json with one-time codes, agent payments up to 500.00 GBP, a 10-failure lock-out for 30 min, 15 min idle, 12 h sessions, no TLS, proxy or IdP', () => {
    const access = loadConfig({ TONEWALL_ROOT: '/srv/tonewall', TONEWALL_RUN_NAME: 'test' }).access;
    expect(access).toEqual({
      tls: undefined,
      trustProxy: undefined,
      usersFile: '/srv/tonewall/.run/test/users.json',
      localSignIn: true,
      session: { idleMs: 900_000, absoluteMs: 43_200_000 },
      signIn: { maxAttempts: 5, windowMs: 900_000 },
      mfaRequired: true,
      agentLimits: { maxAmount: '500.00', currencies: ['gbp'] },
      lockout: { failures: 10, ms: 1_800_000 },
      integrationKeys: [],
      jwt: undefined,
    });
    expect(loadConfig({ TONEWALL_ROOT: '/srv/tonewall' }).access.usersFile).toBe(
      '/srv/tonewall/.run/dev/users.json',
    );
  });

  it('reads TLS files from the keys folder, key digests, the dev key as a digest, and the IdP', () => {
    const digest = 'a'.repeat(64);
    const access = loadConfig({
      TONEWALL_ROOT: '/srv/tonewall',
      TONEWALL_HTTP_TLS_CERT: 'gateway-http.pem',
      TONEWALL_HTTP_TLS_KEY: '/etc/tls/gateway.key',
      TONEWALL_API_KEY_SHA256: `crm:${digest}/payments:write+calls:read/2027-06-30, ${'B'.repeat(64)}/audit:read/2027-01-01`,
      TONEWALL_API_KEY: 'k'.repeat(20),
      TONEWALL_JWT_JWKS_URL: 'https://idp.example/jwks',
      TONEWALL_JWT_ISSUER: 'https://idp.example',
      TONEWALL_JWT_AUDIENCE: 'tonewall',
      TONEWALL_JWT_ALGORITHMS: 'ES256',
      TONEWALL_LOCAL_SIGNIN: 'off',
    }).access;
    expect(access.tls).toEqual({
      certFile: '/srv/tonewall/keys/gateway-http.pem',
      keyFile: '/etc/tls/gateway.key',
    });
    expect(access.integrationKeys.map((key) => key.name)).toEqual(['crm', 'key-2', 'development-key']);
    expect(access.integrationKeys[1]?.sha256).toBe('b'.repeat(64));
    expect(access.integrationKeys[0]).toMatchObject({
      scopes: ['payments:write', 'calls:read'],
      expiresAt: Date.parse('2027-06-30T00:00:00Z'),
    });
    expect(JSON.stringify(access)).not.toContain('k'.repeat(20));
    expect(access.jwt).toMatchObject({ roleClaim: 'roles', agentClaim: 'agent_id', algorithms: ['ES256'] });
    expect(access.localSignIn).toBe(false);
  });

  it.each([
    [{ TONEWALL_HTTP_TLS_CERT: 'a.pem' }, 'TONEWALL_HTTP_TLS_KEY'],
    [{ TONEWALL_JWT_ISSUER: 'https://idp.example' }, 'TONEWALL_JWT_JWKS_URL'],
    [
      {
        TONEWALL_JWT_JWKS_URL: 'http://idp.example/jwks',
        TONEWALL_JWT_ISSUER: 'i',
        TONEWALL_JWT_AUDIENCE: 'a',
      },
      'TONEWALL_JWT_JWKS_URL',
    ],
    [{ TONEWALL_API_KEY_SHA256: 'not-a-digest' }, 'TONEWALL_API_KEY_SHA256'],
    // a digest alone: no scopes, no expiry
    [{ TONEWALL_API_KEY_SHA256: `crm:${'a'.repeat(64)}` }, 'TONEWALL_API_KEY_SHA256'],
    [
      { TONEWALL_API_KEY_SHA256: `crm:${'a'.repeat(64)}/payments:everything/2027-01-01` },
      'TONEWALL_API_KEY_SHA256',
    ],
    [{ TONEWALL_API_KEY_SHA256: `crm:${'a'.repeat(64)}/calls:read/2027-13-45` }, 'TONEWALL_API_KEY_SHA256'],
    [{ TONEWALL_JWT_ALGORITHMS: 'none' }, 'TONEWALL_JWT_ALGORITHMS'],
    [{ TONEWALL_SESSION_IDLE_MS: '10' }, 'TONEWALL_SESSION_IDLE_MS'],
    [{ TONEWALL_SIGNIN_MAX_ATTEMPTS: '0' }, 'TONEWALL_SIGNIN_MAX_ATTEMPTS'],
    [{ TONEWALL_LOCAL_SIGNIN: 'maybe' }, 'TONEWALL_LOCAL_SIGNIN'],
    // plain HTTP off loopback, without TLS or a trusted TLS proxy
    [{ TONEWALL_HTTP_HOST: '0.0.0.0' }, 'TONEWALL_HTTP_HOST'],
    [{ TONEWALL_HTTP_HOST: '192.0.2.10' }, 'TONEWALL_HTTP_HOST'],
  ])('rejects %j naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('binds off loopback only with TLS or behind a trusted TLS proxy; any 127.x or ::1 without', () => {
    for (const host of ['127.0.0.1', '127.0.0.9', '::1', 'localhost'])
      expect(loadConfig({ TONEWALL_HTTP_HOST: host }).http.host).toBe(host);
    const tls = { TONEWALL_HTTP_TLS_CERT: 'a.pem', TONEWALL_HTTP_TLS_KEY: 'a.key' };
    expect(loadConfig({ TONEWALL_HTTP_HOST: '0.0.0.0', ...tls }).access.tls).toBeDefined();
    const behind = loadConfig({
      TONEWALL_HTTP_HOST: '0.0.0.0',
      TONEWALL_TRUST_PROXY: '10.0.0.5, uniquelocal',
    });
    expect(behind.access.trustProxy).toEqual(['10.0.0.5', 'uniquelocal']);
  });
});

describe('the two rtpengines’ DTMF report destinations', () => {
  it('puts the mask hop on the port below the edge’s unless told, on the same host only', () => {
    expect(loadConfig({ TONEWALL_DTMF_LOG_DEST: '127.0.0.1:7000' }).dtmf).toMatchObject({
      port: 7000,
      tonesPort: 6999,
    });
    expect(
      loadConfig({ TONEWALL_DTMF_LOG_DEST: '127.0.0.1:7000', TONEWALL_MASK_DTMF_LOG_DEST: '127.0.0.1:7100' })
        .dtmf,
    ).toMatchObject({ port: 7000, tonesPort: 7100 });
    expect(() =>
      loadConfig({ TONEWALL_DTMF_LOG_DEST: '127.0.0.1:7000', TONEWALL_MASK_DTMF_LOG_DEST: '127.0.0.2:7100' }),
    ).toThrow(/TONEWALL_MASK_DTMF_LOG_DEST/);
    expect(() =>
      loadConfig({ TONEWALL_DTMF_LOG_DEST: '127.0.0.1:7000', TONEWALL_MASK_DTMF_LOG_DEST: '127.0.0.1:7000' }),
    ).toThrow(/TONEWALL_MASK_DTMF_LOG_DEST/);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDevKeys } from '../../../scripts/keys.js';
import { undocumented } from '../openapi/documented-responses.js';
import { recordedResponses, startTestGateway, type TestGateway } from './support.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

describe('security headers and the static page', () => {
  it('serves the page with a strict CSP: self only, no inline script or style, no framing', async () => {
    const response = await fetch(`${gateway.base}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "require-trusted-types-for 'script'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('strict-transport-security')).toBeNull();
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
  });

  it('serves the ES modules and stylesheet with their types, and API replies with no-store', async () => {
    for (const [path, type] of [
      ['/app.js', 'javascript'],
      ['/payment-panel.js', 'javascript'],
      ['/app.css', 'text/css'],
    ] as const) {
      const response = await fetch(`${gateway.base}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
    }
    const api = await fetch(`${gateway.base}/v1/calls`);
    expect(api.status).toBe(401);
    expect(api.headers.get('cache-control')).toBe('no-store');
  });
});

describe('optional TLS', () => {
  it('serves HTTPS with the configured certificate; cookies are Secure and __Host- prefixed; HSTS is on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonewall-tls-'));
    generateDevKeys({ dir });
    const tls = await startTestGateway({
      env: {
        TONEWALL_KEYS_DIR: dir,
        TONEWALL_HTTP_TLS_CERT: 'sandbox-server.pem',
        TONEWALL_HTTP_TLS_KEY: 'sandbox-server.key',
      },
    });
    try {
      expect(tls.base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const reply = await new Promise<{
        status: number;
        headers: Record<string, string | string[] | undefined>;
      }>((resolve, reject) => {
        const body = JSON.stringify({ username: 'alice', password: 'alice-password-1' });
        const request = httpsRequest(
          `${tls.base}/v1/session`,
          {
            method: 'POST',
            ca: readFileSync(join(dir, 'ca.pem')),
            headers: {
              'content-type': 'application/json',
              origin: tls.base,
              'content-length': Buffer.byteLength(body),
            },
          },
          (response) => {
            response.resume();
            resolve({ status: response.statusCode ?? 0, headers: response.headers });
          },
        );
        request.on('error', reject);
        request.end(body);
      });
      expect(reply.status).toBe(201);
      const cookie = String(reply.headers['set-cookie']);
      expect(cookie).toMatch(
        /^__Host-tonewall-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/,
      );
      expect(String(reply.headers['strict-transport-security'])).toContain('max-age=31536000');
      expect(String(reply.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    } finally {
      await tls.close();
    }
  });
});

describe('behind a TLS proxy (TONEWALL_TRUST_PROXY)', () => {
  const signInVia = (base: string, headers: Record<string, string>) =>
    fetch(`${base}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ username: 'alice', password: 'alice-password-1' }),
    });
  const proxied = () => ({
    origin: 'https://desk.example',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'desk.example',
    'x-forwarded-for': '203.0.113.7',
  });

  it("believes the proxy's forwarded scheme, host and client: Secure __Host- cookies, the browser's origin, the client's address", async () => {
    const behind = await startTestGateway({ env: { TONEWALL_TRUST_PROXY: 'loopback' } });
    try {
      const response = await signInVia(behind.base, proxied());
      expect(response.status).toBe(201);
      expect(response.headers.get('set-cookie')).toMatch(
        /^__Host-tonewall-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/,
      );
      expect(response.headers.get('strict-transport-security')).toContain('max-age=');
      const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const { csrfToken } = (await response.json()) as { csrfToken: string };
      const signOut = await fetch(`${behind.base}/v1/session`, {
        method: 'DELETE',
        headers: { cookie, 'x-csrf-token': csrfToken, ...proxied() },
      });
      expect(signOut.status).toBe(204);
      expect(behind.logs.text()).toMatch(/"event":"sign-in","outcome":"allowed".*"source":"203\.0\.113\.7"/);
    } finally {
      await behind.close();
    }
  });

  it('ignores forwarded headers without it: the same request is cross-origin, and cookies are not Secure', async () => {
    const response = await signInVia(gateway.base, proxied());
    expect(response.status).toBe(403); // origin https://desk.example is not this http://127.0.0.1 origin
    const plain = await signInVia(gateway.base, { 'x-forwarded-for': '203.0.113.7' });
    expect(plain.status).toBe(201);
    expect(plain.headers.get('set-cookie')).not.toContain('Secure');
    expect(gateway.logs.text()).not.toContain('203.0.113.7');
  });
});

it('answers only as docs/openapi.json documents (status, headers, body schema)', () => {
  expect(recordedResponses().length).toBeGreaterThan(0);
  expect(undocumented(recordedResponses())).toEqual([]);
});

import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undocumented } from '../openapi/documented-responses.js';
import {
  errorCode,
  recordedResponses,
  SessionClient,
  startTestGateway,
  type TestGateway,
  USERS,
  writeUsersFile,
} from './support.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({
    env: {
      TONEWALL_SIGNIN_MAX_ATTEMPTS: '3',
      TONEWALL_SESSION_IDLE_MS: '600000',
      TONEWALL_SESSION_MAX_MS: '3600000',
    },
  });
});
afterAll(() => gateway.close());

describe('local sign-in (users file, scrypt, session cookie)', () => {
  it('signs in, sets an HttpOnly SameSite=Strict opaque cookie, and says who is signed in', async () => {
    const client = new SessionClient(gateway.base);
    const response = await client.signIn('alice', 'alice-password-1');
    expect(response.status).toBe(201);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^tonewall-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain('Secure'); // plain HTTP here; the TLS test checks Secure and __Host-
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      user: {
        kind: 'user',
        name: 'alice',
        displayName: 'Alice Agent',
        roles: ['agent'],
        agentId: 'agent-a',
        source: 'local',
      },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(JSON.stringify(body)).not.toContain('scrypt');
    const me = await client.request('GET', '/v1/session');
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { name: string } }).user.name).toBe('alice');
    expect(me.headers.get('cache-control')).toBe('no-store');
  });

  it('accepts the user name in any case', async () => {
    expect((await new SessionClient(gateway.base).signIn('Alice', 'alice-password-1')).status).toBe(201);
  });

  it.each([
    ['a wrong password', 'bob', 'not-bobs-password'],
    ['an unknown user', 'mallory', 'whatever-password'],
    ['a disabled user', 'dora', 'dora-password-1'],
  ])('answers 401 with one message for %s, naming no value', async (_name, username, password) => {
    const response = await new SessionClient(gateway.base).signIn(username, password);
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'GW_ERR_UNAUTHORIZED', message: 'user name or password is wrong' },
    });
    expect(text).not.toContain(password);
  });

  it('rate-limits failed attempts per address and user name with 429 and Retry-After', async () => {
    const client = new SessionClient(gateway.base);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await client.signIn('sam', `wrong-${attempt}`)).status).toBe(401);
    }
    const limited = await client.signIn('sam', 'sam-password-1');
    expect(limited.status).toBe(429);
    expect(await errorCode(limited)).toBe('GW_ERR_RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user from the same address is not locked out by sam's failures.
    expect((await client.signIn('audrey', 'audrey-password-1')).status).toBe(201);
  });

  it('does not count successful sign-ins against the limit', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await new SessionClient(gateway.base).signIn('ada', 'ada-password-1')).status).toBe(201);
    }
  });

  it('refuses a cross-origin sign-in and a sign-in that is not JSON', async () => {
    const cross = await fetch(`${gateway.base}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ username: 'alice', password: 'alice-password-1' }),
    });
    expect(cross.status).toBe(403);
    expect(await errorCode(cross)).toBe('GW_ERR_CSRF');
    const form = await fetch(`${gateway.base}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=alice&password=alice-password-1',
    });
    expect(form.status).toBe(400);
  });

  it('signs out: the cookie is cleared and the session is gone server-side', async () => {
    const client = new SessionClient(gateway.base);
    await client.signIn('alice', 'alice-password-1');
    const out = await client.request('DELETE', '/v1/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(
      /^tonewall-session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/,
    );
    const after = await client.request('GET', '/v1/session');
    expect(after.status).toBe(401);
  });

  it('ends a session after the idle time, and after the absolute time however active', async () => {
    const idle = new SessionClient(gateway.base);
    await idle.signIn('alice', 'alice-password-1');
    const busy = new SessionClient(gateway.base);
    await busy.signIn('bob', 'bob-password-1');
    try {
      gateway.clock.offsetMs = 500_000;
      expect((await busy.request('GET', '/v1/calls')).status).toBe(200);
      // Background polling does not count as activity.
      expect(
        (await idle.request('GET', '/v1/calls', { headers: { 'x-tonewall-background': '1' } })).status,
      ).toBe(200);
      gateway.clock.offsetMs = 1_000_000;
      expect((await idle.request('GET', '/v1/calls')).status).toBe(401);
      expect((await busy.request('GET', '/v1/calls')).status).toBe(200);
      for (const offset of [1_500_000, 2_000_000, 2_500_000, 3_000_000]) {
        gateway.clock.offsetMs = offset;
        expect((await busy.request('GET', '/v1/calls')).status).toBe(200);
      }
      gateway.clock.offsetMs = 3_700_000;
      const expired = await busy.request('GET', '/v1/calls');
      expect(expired.status).toBe(401);
      expect(await errorCode(expired)).toBe('GW_ERR_UNAUTHORIZED');
    } finally {
      gateway.clock.offsetMs = 0;
    }
  });

  it('rejects a forged or malformed cookie', async () => {
    const client = new SessionClient(gateway.base);
    client.cookie = `tonewall-session=${'A'.repeat(43)}`;
    expect((await client.request('GET', '/v1/session')).status).toBe(401);
    client.cookie = 'tonewall-session=../../etc/passwd';
    expect((await client.request('GET', '/v1/session')).status).toBe(401);
  });

  it('reads the users file on change, and fails closed when it is broken (the log names the file only)', async () => {
    await writeUsersFile(gateway.usersFile, [
      ...USERS,
      { username: 'newbie', password: 'newbie-password-1', roles: ['agent'], agentId: 'agent-n' },
    ]);
    expect((await new SessionClient(gateway.base).signIn('newbie', 'newbie-password-1')).status).toBe(201);
    writeFileSync(gateway.usersFile, '{"version": 1, "users": [{"username": "x", "password": "hunter2"}]}');
    expect((await new SessionClient(gateway.base).signIn('alice', 'alice-password-1')).status).toBe(401);
    const line = gateway.logs.lines.find((entry) => entry.includes('GW_ERR_USERS_FILE')) ?? '';
    expect(line).toContain('users.json');
    expect(line).not.toContain('hunter2');
    await writeUsersFile(gateway.usersFile, USERS);
  });
});

it('answers only as docs/openapi.json documents (status, headers, body schema)', () => {
  expect(recordedResponses().length).toBeGreaterThan(0);
  expect(undocumented(recordedResponses())).toEqual([]);
});

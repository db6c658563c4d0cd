/**
 * Issue 16, item 2: one-time codes (TOTP, RFC 6238) at every local sign-in (the default), enrolment
 * from the desk's API, a per-account lock-out that many source addresses cannot dodge, and the event
 * streams that end with the session or the user. Against the real HTTP app and users file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undocumented } from '../openapi/documented-responses.js';
import {
  answerCall,
  errorCode,
  recordedResponses,
  SessionClient,
  startTestGateway,
  streamEndWaiter,
  type TestGateway,
  type TestUser,
  USERS,
} from './support.js';

const ERIN_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const LOU_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const MFA_USERS: TestUser[] = [
  ...USERS,
  {
    username: 'erin',
    password: 'erin-password-1',
    roles: ['agent'],
    agentId: 'agent-e',
    totpSecret: ERIN_SECRET,
  },
  { username: 'finn', password: 'finn-password-1', roles: ['agent'], agentId: 'agent-f' },
  {
    username: 'lou',
    password: 'lou-password-12',
    roles: ['agent'],
    agentId: 'agent-l',
    totpSecret: LOU_SECRET,
  },
];

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({
    users: MFA_USERS,
    env: { TONEWALL_MFA: 'required', TONEWALL_SIGNIN_MAX_ATTEMPTS: '10' },
    streamCheckMs: 100,
  });
});
afterAll(() => gateway.close());

/** The code an authenticator app shows at the gateway's time (+ `stepsAhead` × 30 s). */
function codeFor(secret: string, stepsAhead = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + gateway.clock.offsetMs + stepsAhead * 30_000 });
}

/** A JSON POST from a given loopback address (a different client as the gateway sees it). */
function postFrom(address: string, path: string, body: unknown): Promise<{ status: number; code?: string }> {
  const url = new URL(path, gateway.base);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: address,
        headers: { 'content-type': 'application/json', origin: gateway.base },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += String(chunk);
        });
        response.on('end', () => {
          const parsed = text ? (JSON.parse(text) as { error?: { code?: string } }) : {};
          resolve({
            status: response.statusCode ?? 0,
            ...(parsed.error?.code ? { code: parsed.error.code } : {}),
          });
        });
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

describe('one-time codes at sign-in (TONEWALL_MFA=required, the default)', () => {
  it('an enrolled user needs a code; a wrong or reused code is refused', async () => {
    const erin = new SessionClient(gateway.base);
    const noCode = await erin.signIn('erin', 'erin-password-1');
    expect([noCode.status, await errorCode(noCode)]).toEqual([401, 'GW_ERR_MFA_REQUIRED']);
    const wrong = await erin.signIn(
      'erin',
      'erin-password-1',
      '000000' === codeFor(ERIN_SECRET) ? '111111' : '000000',
    );
    expect([wrong.status, await errorCode(wrong)]).toEqual([401, 'GW_ERR_MFA_FAILED']);
    // a right code with a wrong password says only that the password is wrong
    const badPassword = await erin.signIn('erin', 'not-erins-password', codeFor(ERIN_SECRET));
    expect([badPassword.status, await errorCode(badPassword)]).toEqual([401, 'GW_ERR_UNAUTHORIZED']);
    const code = codeFor(ERIN_SECRET);
    const good = await erin.signIn('erin', 'erin-password-1', code);
    expect(good.status).toBe(201);
    expect(((await good.json()) as { mfa: string }).mfa).toBe('required');
    const replay = await new SessionClient(gateway.base).signIn('erin', 'erin-password-1', code);
    expect([replay.status, await errorCode(replay)]).toEqual([401, 'GW_ERR_MFA_FAILED']);
    // the next step's code is new
    expect(
      (await new SessionClient(gateway.base).signIn('erin', 'erin-password-1', codeFor(ERIN_SECRET, 1)))
        .status,
    ).toBe(201);
  });

  it('a user without an authenticator enrols one after the password, and needs it from then on', async () => {
    const finn = new SessionClient(gateway.base);
    const first = await finn.signIn('finn', 'finn-password-1');
    expect([first.status, await errorCode(first)]).toEqual([401, 'GW_ERR_MFA_ENROL']);
    const enrol = (body: unknown) =>
      fetch(`${gateway.base}/v1/session/authenticator`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: gateway.base },
        body: JSON.stringify(body),
      });
    const refused = await enrol({ username: 'finn', password: 'not-finns-password' });
    expect([refused.status, await errorCode(refused)]).toEqual([401, 'GW_ERR_UNAUTHORIZED']);
    const offered = await enrol({ username: 'finn', password: 'finn-password-1' });
    expect(offered.status).toBe(201);
    const { secret, uri } = (await offered.json()) as { secret: string; uri: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toBe(
      `otpauth://totp/tonewall:finn?issuer=tonewall&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    // not kept until a code from it comes back
    expect(readFileSync(gateway.usersFile, 'utf8')).not.toContain(secret);
    const signedIn = await finn.signIn('finn', 'finn-password-1', codeFor(secret));
    expect(signedIn.status).toBe(201);
    expect(readFileSync(gateway.usersFile, 'utf8')).toContain(secret);
    const again = await enrol({ username: 'finn', password: 'finn-password-1' });
    expect([again.status, await errorCode(again)]).toEqual([409, 'GW_ERR_MFA_ENROLLED']);
    const noCode = await new SessionClient(gateway.base).signIn('finn', 'finn-password-1');
    expect(await errorCode(noCode)).toBe('GW_ERR_MFA_REQUIRED');
    // the secret is the user's alone: never in a log line
    expect(gateway.logs.text()).not.toContain(secret);
    expect(gateway.logs.text()).toContain('"event":"mfa-enrolment"');
  });
});

describe('lock-out per account', () => {
  it('10 failures from 10 addresses lock the account for 30 minutes, the right password and code too', async () => {
    // each address tries once: the per-address throttle never trips, the account lock does
    for (let i = 0; i < 9; i += 1) {
      const wrongPassword = i % 2 === 0;
      const answer = await postFrom(`127.0.0.${21 + i}`, '/v1/session', {
        username: 'lou',
        password: wrongPassword ? `wrong-password-${i}` : 'lou-password-12',
        code: wrongPassword ? codeFor(LOU_SECRET) : '000000',
      });
      expect(answer.code, `attempt ${i + 1}`).toBe(
        wrongPassword ? 'GW_ERR_UNAUTHORIZED' : 'GW_ERR_MFA_FAILED',
      );
    }
    const tenth = await postFrom('127.0.0.30', '/v1/session', {
      username: 'lou',
      password: 'wrong-password-9',
    });
    expect(tenth.code).toBe('GW_ERR_UNAUTHORIZED');
    const locked = await postFrom('127.0.0.31', '/v1/session', {
      username: 'lou',
      password: 'lou-password-12',
      code: codeFor(LOU_SECRET),
    });
    expect(locked).toEqual({ status: 403, code: 'GW_ERR_ACCOUNT_LOCKED' });
    expect(gateway.logs.text()).toMatch(/"event":"lock-out","outcome":"denied","principal":"user:lou"/);
    // other accounts are not affected (2 minutes on: erin's codes of the first test are used)
    gateway.clock.offsetMs += 2 * 60_000;
    expect(
      (await new SessionClient(gateway.base).signIn('erin', 'erin-password-1', codeFor(ERIN_SECRET))).status,
    ).toBe(201);
    gateway.clock.offsetMs += 27 * 60_000;
    const stillLocked = await new SessionClient(gateway.base).signIn(
      'lou',
      'lou-password-12',
      codeFor(LOU_SECRET),
    );
    expect(await errorCode(stillLocked)).toBe('GW_ERR_ACCOUNT_LOCKED');
    gateway.clock.offsetMs += 2 * 60_000;
    expect(
      (await new SessionClient(gateway.base).signIn('lou', 'lou-password-12', codeFor(LOU_SECRET))).status,
    ).toBe(201);
  });
});

describe('event streams end with their credentials', () => {
  async function openStream(client: SessionClient, sipCallId: string) {
    const call = answerCall(gateway.registry, sipCallId, 'agent-e');
    const payment = (await (
      await client.request('POST', `/v1/calls/${call.id}/payments`, {
        body: { idempotencyKey: `stream-${sipCallId}`, chargeAmount: '5.00', currency: 'GBP' },
      })
    ).json()) as { id: string };
    const response = await fetch(`${gateway.base}/v1/payments/${payment.id}/events`, {
      headers: { cookie: client.cookie },
    });
    expect(response.status).toBe(200);
    return streamEndWaiter(response);
  }

  async function signedInErin(step: number): Promise<SessionClient> {
    const erin = new SessionClient(gateway.base);
    expect((await erin.signIn('erin', 'erin-password-1', codeFor(ERIN_SECRET, step))).status).toBe(201);
    return erin;
  }

  it('at sign-out, at once', async () => {
    gateway.clock.offsetMs += 5 * 60_000; // fresh time steps for erin's codes
    const erin = await signedInErin(0);
    const ended = (await openStream(erin, 'sip-stream-signout'))();
    expect((await erin.request('DELETE', '/v1/session')).status).toBe(204);
    expect(await ended).toBeLessThan(1000);
    expect(gateway.logs.text()).toMatch(
      /"event":"stream","outcome":"denied","principal":"agent:agent-e".*"reason":"signed-out"/,
    );
  });

  it('when the session expires', async () => {
    gateway.clock.offsetMs += 5 * 60_000;
    const erin = await signedInErin(0);
    const ended = (await openStream(erin, 'sip-stream-expiry'))();
    gateway.clock.offsetMs += 16 * 60_000; // past the 15-minute idle limit
    expect(await ended).toBeLessThan(2000);
  });

  it('when the user is disabled', async () => {
    gateway.clock.offsetMs += 5 * 60_000;
    const erin = await signedInErin(0);
    const ended = (await openStream(erin, 'sip-stream-disabled'))();
    const file = JSON.parse(readFileSync(gateway.usersFile, 'utf8')) as {
      users: { username: string; disabled?: boolean }[];
    };
    for (const user of file.users) if (user.username === 'erin') user.disabled = true;
    writeFileSync(gateway.usersFile, JSON.stringify(file), { mode: 0o600 });
    expect(await ended).toBeLessThan(2000);
    expect(gateway.logs.text()).toMatch(/"event":"stream".*"reason":"user-disabled"/);
  });
});

it('answers only as docs/openapi.json documents (status, headers, body)', () => {
  expect(recordedResponses().length).toBeGreaterThan(0);
  expect(undocumented(recordedResponses())).toEqual([]);
});

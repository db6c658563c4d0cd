/**
 * Issue 16, item 1: every authentication and authorisation event is a signed audit record (the real
 * audit trail and file log) and a log line with user, source address and outcome — and never a
 * password, a token, or a user name that does not exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../../src/application/audit/audit-trail.js';
import { captureLogs } from '../../support/log-capture.js';
import { openLog, verifyDir } from '../audit/support.js';
import { INTEGRATION_KEY, SessionClient, startTestGateway, type TestGateway } from './support.js';

let gateway: TestGateway;
let trail: AuditTrail;
let logDir: string;
let keysDir: string;

beforeAll(async () => {
  const log = await openLog();
  logDir = log.dir;
  keysDir = log.keys;
  trail = new AuditTrail({ log: log.store, logger: captureLogs().logger });
  gateway = await startTestGateway({
    env: { TONEWALL_SIGNIN_MAX_ATTEMPTS: '2' },
    recordAuth: (event) => trail.recordAuth(event),
  });
});
afterAll(async () => {
  await gateway.close();
  await trail.close();
});

interface Record {
  type: string;
  actor: string;
  data: { event: string; outcome: string; source: string; reason?: string };
}

function authRecords(): Record[] {
  const lines = readdirSync(logDir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) => readFileSync(join(logDir, name), 'utf8').split('\n'))
    .filter((line) => line.trim() !== '');
  return lines.map((line) => JSON.parse(line) as Record).filter((record) => record.type === 'auth.event');
}

const summary = (record: Record) =>
  `${record.actor} ${record.data.event} ${record.data.outcome}${record.data.reason ? ` ${record.data.reason}` : ''}`;

describe('authentication and authorisation events', () => {
  it('are audit records and log lines, from sign-in to sign-out', async () => {
    const base = gateway.base;
    // a known user with a wrong password; a name that is no user (a password typed in the wrong box)
    expect((await new SessionClient(base).signIn('bob', 'not-bobs-password')).status).toBe(401);
    expect((await new SessionClient(base).signIn('Hunter2-secret', 'whatever-password')).status).toBe(401);
    // the second wrong attempt for sam, then the throttle
    const sam = new SessionClient(base);
    await sam.signIn('sam', 'wrong-1');
    await sam.signIn('sam', 'wrong-2');
    expect((await sam.signIn('sam', 'sam-password-1')).status).toBe(429);
    // throttled under a name that is no user: the record names nobody
    await new SessionClient(base).signIn('Hunter2-secret', 'whatever-password');
    expect((await new SessionClient(base).signIn('Hunter2-secret', 'whatever-password')).status).toBe(429);
    // a good sign-in, an action the role forbids, a request without the CSRF token, sign-out
    const alice = new SessionClient(base);
    expect((await alice.signIn('alice', 'alice-password-1')).status).toBe(201);
    expect((await alice.request('GET', '/v1/audit/report')).status).toBe(403);
    expect((await alice.request('DELETE', '/v1/session', { csrf: null })).status).toBe(403);
    expect((await alice.request('DELETE', '/v1/session')).status).toBe(204);
    // the old cookie after sign-out; an unknown bearer token; the integration key (not an event)
    expect((await alice.request('GET', '/v1/calls')).status).toBe(401);
    const bearer = (token: string) =>
      fetch(`${base}/v1/calls`, { headers: { authorization: `Bearer ${token}` } });
    expect((await bearer('not-a-key-of-ours-0000000000')).status).toBe(401);
    expect((await bearer(INTEGRATION_KEY)).status).toBe(200);

    await trail.durable();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await trail.durable();
    const records = authRecords();
    expect(records.map(summary)).toEqual([
      'user:bob sign-in failed wrong-password',
      'anonymous sign-in failed unknown-user',
      'user:sam sign-in failed wrong-password',
      'user:sam sign-in failed wrong-password',
      'user:sam sign-in throttled GW_ERR_RATE_LIMITED',
      'anonymous sign-in failed unknown-user',
      'anonymous sign-in throttled GW_ERR_RATE_LIMITED',
      'agent:agent-a sign-in allowed',
      'agent:agent-a role denied GW_ERR_FORBIDDEN',
      'agent:agent-a csrf denied GW_ERR_CSRF',
      'agent:agent-a sign-out allowed',
      'anonymous session denied GW_ERR_UNAUTHORIZED',
      'anonymous bearer denied GW_ERR_UNAUTHORIZED',
    ]);
    for (const record of records) expect(record.data.source).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    // signed and chained: the verifier accepts the log
    const verified = await verifyDir(logDir, keysDir, { requireHead: false });
    expect(verified.ok, JSON.stringify(verified.problems ?? [])).toBe(true);

    const logged = gateway.logs.lines
      .map((line) => JSON.parse(line) as { [field: string]: unknown })
      .filter((line) => /^auth event/.test(String(line.msg)));
    expect(logged.map((line) => `${line.principal} ${line.event} ${line.outcome} ${line.source}`)).toEqual(
      records.map(
        (record) => `${record.actor} ${record.data.event} ${record.data.outcome} ${record.data.source}`,
      ),
    );
    const everything = `${gateway.logs.text()}\n${JSON.stringify(records)}`;
    for (const secret of [
      'not-bobs-password',
      'Hunter2-secret',
      'whatever-password',
      'wrong-1',
      'not-a-key-of-ours',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../../src/application/access/password-hash.js';
import type { Role } from '../../../src/application/access/principal.js';
import { createHttpAccess } from '../../../src/composition/create-http-access.js';
import { loadConfig } from '../../../src/config/config.js';
import { createHttpApp } from '../../../src/delivery/http/app.js';
import type { RecordAuth } from '../../../src/delivery/http/auth-events.js';
import { listenHttp } from '../../../src/delivery/http/http-server.js';
import { answeredEvent } from '../../support/call-fixtures.js';
import { type PaymentCore, paymentCore } from '../../support/in-process-app.js';
import { captureLogs } from '../../support/log-capture.js';
import { type RecordedResponse, recordResponses } from '../openapi/documented-responses.js';

export const INTEGRATION_KEY = 'integration-key-for-tests-0001';

export interface TestUser {
  username: string;
  password: string;
  roles: Role[];
  agentId?: string;
  displayName?: string;
  disabled?: boolean;
  /** An enrolled authenticator's key (base32). */
  totpSecret?: string;
  /** The user's own limit per payment. */
  maxAmount?: string;
}

export const USERS: TestUser[] = [
  {
    username: 'alice',
    password: 'alice-password-1',
    roles: ['agent'],
    agentId: 'agent-a',
    displayName: 'Alice Agent',
  },
  {
    username: 'bob',
    password: 'bob-password-1',
    roles: ['agent'],
    agentId: 'agent-b',
    displayName: 'Bob Agent',
  },
  { username: 'sam', password: 'sam-password-1', roles: ['supervisor'], displayName: 'Sam Supervisor' },
  { username: 'audrey', password: 'audrey-password-1', roles: ['auditor'], displayName: 'Audrey Auditor' },
  { username: 'ada', password: 'ada-password-1', roles: ['admin'], displayName: 'Ada Admin' },
  { username: 'dora', password: 'dora-password-1', roles: ['agent'], agentId: 'agent-d', disabled: true },
];

/** Writes a users file as scripts/users.ts would (lower scrypt cost, to keep tests quick). */
export async function writeUsersFile(path: string, users: readonly TestUser[]): Promise<void> {
  const entries = await Promise.all(
    users.map(async (user) => ({
      username: user.username,
      displayName: user.displayName ?? user.username,
      roles: user.roles,
      ...(user.agentId === undefined ? {} : { agentId: user.agentId }),
      ...(user.disabled === undefined ? {} : { disabled: user.disabled }),
      ...(user.totpSecret === undefined ? {} : { totpSecret: user.totpSecret }),
      ...(user.maxAmount === undefined ? {} : { maxAmount: user.maxAmount }),
      password: await hashPassword(user.password, { ln: 12, r: 8, p: 1 }),
    })),
  );
  writeFileSync(path, JSON.stringify({ version: 1, users: entries }), { mode: 0o600 });
}

export interface TestGateway extends PaymentCore {
  base: string;
  logs: ReturnType<typeof captureLogs>;
  usersFile: string;
  clock: { offsetMs: number };
  close(): Promise<void>;
}

const recorded: RecordedResponse[][] = [];

/** Every response of every gateway this test file started so far, for the OpenAPI check at its end. */
export function recordedResponses(): RecordedResponse[] {
  return recorded.flat();
}

/**
 * The HTTP app on port 0 with a real PaymentService and CallRegistry, a processor double, and access
 * built from the real configuration loader (users file, integration key, optional JWT and TLS).
 */
export async function startTestGateway(
  options: {
    env?: Record<string, string>;
    auditReport?: (range: { from: Date; to: Date }) => Promise<string>;
    /** Where authentication and authorisation events go (the gateway's audit trail). */
    recordAuth?: RecordAuth;
    users?: readonly TestUser[];
    /** How often open event streams' credentials are checked, ms. */
    streamCheckMs?: number;
    /** As with TONEWALL_WEBHOOK_SECRET set: a statusCallback is not refused for that reason. */
    webhooksEnabled?: boolean;
  } = {},
): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'tonewall-auth-'));
  const usersFile = join(dir, 'users.json');
  await writeUsersFile(usersFile, options.users ?? USERS);
  const config = loadConfig({
    TONEWALL_USERS_FILE: usersFile,
    TONEWALL_API_KEY: INTEGRATION_KEY,
    // the password tests; mfa.test.ts and the browser's enrolment test keep the default (required)
    TONEWALL_MFA: 'off',
    ...options.env,
  });
  const clock = { offsetMs: 0 };
  const now = () => Date.now() + clock.offsetMs;
  const testClock = { now, monotonic: () => performance.now() + clock.offsetMs };
  const logs = captureLogs();
  const { registry, connector, payments } = paymentCore(logs.logger);
  const app = createHttpApp({
    clock: testClock,
    logger: logs.logger,
    registry,
    payments,
    access: createHttpAccess({
      settings: config.access,
      logger: logs.logger,
      clock: testClock,
    }),
    webhooksEnabled: options.webhooksEnabled ?? false,
    health: {},
    ...(options.streamCheckMs === undefined ? {} : { streamCheckMs: options.streamCheckMs }),
    ...(options.auditReport ? { auditReport: options.auditReport } : {}),
    ...(options.recordAuth ? { recordAuth: options.recordAuth } : {}),
  });
  const { server, url } = await listenHttp(app, { host: '127.0.0.1', port: 0, tls: config.access.tls });
  recorded.push(recordResponses(server));
  return {
    base: url,
    registry,
    payments,
    connector,
    logs,
    usersFile,
    clock,
    async close() {
      await new Promise<void>((resolve) => (server as Server).close(() => resolve()));
      (server as Server).closeAllConnections();
    },
  };
}

export function answerCall(registry: PaymentCore['registry'], sipCallId: string, agent: string) {
  return registry.answered(answeredEvent(sipCallId, { agent, ts: Math.floor(Date.now() / 1000) }));
}

/** A cookie-session client, as a browser on the same origin would be. */
export class SessionClient {
  cookie = '';
  csrfToken = '';
  constructor(readonly base: string) {}

  async signIn(username: string, password: string, code?: string): Promise<Response> {
    const response = await fetch(`${this.base}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.base },
      body: JSON.stringify({ username, password, ...(code === undefined ? {} : { code }) }),
    });
    const setCookie = response.headers.get('set-cookie');
    if (response.status === 201 && setCookie) {
      this.cookie = setCookie.split(';')[0] ?? '';
      this.csrfToken = ((await response.clone().json()) as { csrfToken: string }).csrfToken;
    }
    return response;
  }

  request(
    method: string,
    path: string,
    options: { body?: unknown; csrf?: string | null; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { cookie: this.cookie, origin: this.base, ...options.headers };
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    if (csrf !== null) headers['x-csrf-token'] = csrf;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  }
}

export async function errorCode(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { error?: { code?: string } };
  return body.error?.code;
}

/** A request to `base` with the test integration key (JSON body when given). */
export function asIntegration(base: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${INTEGRATION_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/**
 * Reads an event stream's first frame, then gives a wait for the server to end the stream: it
 * resolves with the ms from that call to the end (heartbeats are 15 s apart).
 */
export async function streamEndWaiter(response: Response): Promise<() => Promise<number>> {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no stream');
  await reader.read(); // frame 0
  return async () => {
    const started = performance.now();
    for (;;) {
      const { done } = await reader.read();
      if (done) return performance.now() - started;
    }
  };
}

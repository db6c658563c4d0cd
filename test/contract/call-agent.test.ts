/**
 * PUT /v1/calls/{id}/agent against a Kamailio-shaped HTTP listener on port 0 (the real route is
 * sip-config/kamailio.cfg AGENT_FROM_GATEWAY; test/integration/call-phases.test.ts runs it on the
 * real Kamailio): what the gateway sends (Call-ID and the dialog's tags by direction, the agent), the
 * call's view afterwards, the scope it needs, and every way it can be refused — a bad body, an
 * unknown call, Kamailio saying no, Kamailio unreachable or garbled (503 with Retry-After).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KamailioAgentAssigner } from '../../src/adapters/kamailio/kamailio-agent-assigner.js';
import { IntegrationKeys } from '../../src/application/access/integration-keys.js';
import { AgentAssignment } from '../../src/application/calls/agent-assignment.js';
import { CallRegistry } from '../../src/application/calls/call-registry.js';
import { systemClock, systemTimers } from '../../src/application/clock.js';
import { noPrompts } from '../../src/application/payments/payment-ports.js';
import { PaymentService } from '../../src/application/payments/payment-service.js';
import { createHttpApp } from '../../src/delivery/http/app.js';
import type { AuditAction } from '../../src/domain/audit/audit-entries.js';
import { sha256Hex } from '../../src/domain/sha256.js';
import { answeredEvent } from '../support/call-fixtures.js';
import { keysOnlyAccess, type ListeningApp, listenOnLoopback } from '../support/in-process-app.js';
import { captureLogs } from '../support/log-capture.js';

const WRITER = 'integration-key-calls-write-0001';
const READER = 'integration-key-calls-read-00002';

/** What the fake Kamailio answers next: a status and a body. */
let answer: { status: number; body: string } = { status: 200, body: '{"masking":"on","phase":"agent"}' };
const received: unknown[] = [];
let kamailio: Server;
let app: ListeningApp;
const registry = new CallRegistry();
const actions: AuditAction[] = [];

beforeAll(async () => {
  kamailio = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, body: JSON.parse(body) });
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => kamailio.listen(0, '127.0.0.1', resolve));
  const port = (kamailio.address() as { port: number }).port;
  const logger = captureLogs().logger;
  const access = keysOnlyAccess([]);
  app = await listenOnLoopback(
    createHttpApp({
      clock: systemClock,
      logger,
      registry,
      payments: new PaymentService({
        registry,
        connector: {
          name: 'none',
          tokenise: () => Promise.reject(new Error('not used')),
          close: async () => {},
        },
        prompts: noPrompts,
        clock: systemClock,
        timers: systemTimers,
        logger,
      }),
      webhooksEnabled: false,
      access: {
        ...access,
        integrationKeys: new IntegrationKeys(
          [
            { name: 'crm', sha256: sha256Hex(WRITER), scopes: ['calls:read', 'calls:write'] },
            { name: 'reader', sha256: sha256Hex(READER), scopes: ['calls:read'] },
          ],
          systemClock,
        ),
      },
      health: {},
      recordAction: async (action) => void actions.push(action),
      agents: new AgentAssignment({
        registry,
        port: new KamailioAgentAssigner({ rpcUrl: `http://127.0.0.1:${port}/RPC`, timeoutMs: 1000 }),
      }),
    }),
  );
});
afterAll(async () => {
  await app.close();
  kamailio.closeAllConnections();
  await new Promise<void>((resolve) => kamailio.close(() => resolve()));
});

const put = (callId: string, body: unknown, token = WRITER) =>
  fetch(`${app.base}/v1/calls/${callId}/agent`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const errorOf = async (response: Response) =>
  [response.status, ((await response.json()) as { error: { code: string } }).error.code] as const;

describe('PUT /v1/calls/{id}/agent', () => {
  it("names the agent through Kamailio (the dialog's tags by direction) and answers the call's view", async () => {
    const inbound = registry.answered(
      answeredEvent('sip-ivr', {
        agent: '',
        masking: 'off',
        phase: 'ivr',
        fromTag: 'cust',
        toTag: 'pbx',
        customerTag: 'cust',
        agentTag: 'pbx',
      }),
    );
    const response = await put(inbound.id, { agentId: 'agent-9' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: inbound.id,
      phase: 'agent',
      agent: 'agent-9',
      masking: 'on',
    });
    expect(received.at(-1)).toEqual({
      method: 'POST',
      url: '/agent',
      body: { callId: 'sip-ivr', fromTag: 'cust', toTag: 'pbx', agent: 'agent-9' },
    });
    expect(actions.at(-1)).toMatchObject({
      principal: 'integration:crm',
      action: 'call.agent.assign',
      callId: inbound.id,
    });
    // an outbound call's dialog runs from the agent's side
    const outbound = registry.answered(
      answeredEvent('sip-out', {
        direction: 'outbound',
        fromTag: 'pbx2',
        toTag: 'cust2',
        customerTag: 'cust2',
        agentTag: 'pbx2',
      }),
    );
    expect((await put(outbound.id, { agentId: 'agent-10' })).status).toBe(200);
    expect(received.at(-1)).toMatchObject({ body: { fromTag: 'pbx2', toTag: 'cust2' } });
  });

  it('needs calls:write; refuses a bad body and an unknown call without asking Kamailio', async () => {
    const call = registry.answered(
      answeredEvent('sip-refusals', { phase: 'ivr', agent: '', masking: 'off' }),
    );
    const before = received.length;
    expect(await errorOf(await put(call.id, { agentId: 'a' }, READER))).toEqual([403, 'GW_ERR_FORBIDDEN']);
    expect(await errorOf(await put(call.id, { agentId: 'has space' }))).toEqual([400, 'GW_ERR_INVALID_BODY']);
    expect(await errorOf(await put(call.id, { agentId: 'a', extra: 1 }))).toEqual([
      400,
      'GW_ERR_INVALID_BODY',
    ]);
    expect(await errorOf(await put('CAnope', { agentId: 'a' }))).toEqual([404, 'GW_ERR_NOT_FOUND']);
    expect(received.length).toBe(before);
    expect(registry.byId(call.id)).toMatchObject({ phase: 'ivr' });
  });

  it("passes on Kamailio's no: 404 when it has no such dialog, 503 with Retry-After when it fails or garbles", async () => {
    const call = registry.answered(
      answeredEvent('sip-kamailio-says', { phase: 'ivr', agent: '', masking: 'off' }),
    );
    answer = { status: 404, body: '{"error":"no such answered call"}' };
    expect(await errorOf(await put(call.id, { agentId: 'a' }))).toEqual([404, 'GW_ERR_NOT_FOUND']);
    answer = { status: 200, body: 'not json' };
    const garbled = await put(call.id, { agentId: 'a' });
    expect(garbled.headers.get('retry-after')).toBe('5');
    expect(await errorOf(garbled)).toEqual([503, 'GW_ERR_CALL_CONTROL']);
    answer = { status: 500, body: '' };
    expect(await errorOf(await put(call.id, { agentId: 'a' }))).toEqual([503, 'GW_ERR_CALL_CONTROL']);
    expect(registry.byId(call.id)).toMatchObject({ phase: 'ivr', masking: 'off' });
    answer = { status: 200, body: '{"masking":"on","phase":"agent"}' };
  });
});

/**
 * The status callback sender against real loopback receivers and a real state database (a temp
 * SQLite file): Standard Webhooks signatures with one and two secrets, the id kept across retries
 * and restarts, order per payment, the retry schedule and give-up, a stop that does not wait for a
 * receiver, and a resolved address pinned (a name resolving to a refused address is never reached).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStateDatabase, type StateDatabase } from '../../src/adapters/store/state-database.js';
import { allowList } from '../../src/adapters/webhooks/callback-url-policy.js';
import { DeliveryQueue } from '../../src/adapters/webhooks/delivery-queue.js';
import type { Resolve } from '../../src/adapters/webhooks/pinned-request.js';
import { WebhookSender } from '../../src/adapters/webhooks/webhook-sender.js';
import { WebhookSigner } from '../../src/adapters/webhooks/webhook-signer.js';
import { systemClock, systemTimers } from '../../src/application/clock.js';
import type { PaymentUpdate } from '../../src/application/payments/payment-ports.js';
import type { PaymentStatusRecord } from '../../src/application/payments/payment-status-store.js';
import type { AgentView } from '../../src/domain/capture/agent-view.js';
import { captureLogs } from '../support/log-capture.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const PREVIOUS = `whsec_${randomBytes(32).toString('base64')}`;
const dir = mkdtempSync(join(tmpdir(), 'tonewall-webhooks-'));
const open: Array<{ close(): unknown }> = [];

interface Hit {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A receiver on 127.0.0.1: `answer` decides each status (undefined: never answers). */
async function receiver(
  answer: (hit: Hit, index: number) => number | undefined,
): Promise<{ url: string; port: number; hits: Hit[]; server: Server }> {
  const hits: Hit[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const hit = { headers: request.headers, body };
      hits.push(hit);
      const status = answer(hit, hits.length - 1);
      if (status !== undefined) response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  open.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  return { url: `http://127.0.0.1:${port}/hook`, port, hits, server };
}

async function database(name: string): Promise<StateDatabase> {
  const db = await openStateDatabase(join(dir, `${name}.sqlite`));
  open.push(db);
  return db;
}

function sender(
  db: StateDatabase,
  options: { secrets?: string[]; delays?: number[]; hosts?: string[]; resolve?: Resolve } = {},
) {
  const logs = captureLogs();
  const webhooks = new WebhookSender({
    queue: new DeliveryQueue(db, systemClock.now()),
    signer: new WebhookSigner(options.secrets ?? [SECRET]),
    allowList: allowList(options.hosts ?? ['127.0.0.1'], { loopback: true }),
    retryDelaysMs: options.delays ?? [100, 100],
    attemptTimeoutMs: 5_000,
    clock: systemClock,
    timers: systemTimers,
    logger: logs.logger,
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });
  return { webhooks, logs };
}

function update(
  id: string,
  sequence: number,
  view: Partial<AgentView> = {},
  progress = false,
): PaymentUpdate {
  return {
    view: {
      id,
      callId: 'CA1',
      status: 'in-progress',
      capture: 'payment-card-number',
      required: [],
      fields: {},
      ...view,
    },
    sequence,
    at: new Date(systemClock.now()).toISOString(),
    progress,
  };
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function rows(db: StateDatabase): Array<{ id: string; state: string; attempts: number }> {
  return db.prepare('SELECT id, state, attempts FROM webhook_deliveries ORDER BY seq').all() as never;
}

afterEach(() => {
  for (const item of open.splice(0)) item.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('status callback delivery', () => {
  it('signs in the Standard Webhooks format with both secrets during a rotation; either verifies', async () => {
    const hook = await receiver(() => 204);
    const db = await database('rotation');
    const { webhooks } = sender(db, { secrets: [SECRET, PREVIOUS] });
    webhooks.start();
    webhooks.send(hook.url, update('PKa', 1));
    await until(() => hook.hits.length === 1);
    const [hit] = hook.hits;
    const headers = hit?.headers as Record<string, string>;
    expect(headers['webhook-id']).toMatch(/^msg_[0-9a-f-]{36}$/);
    expect(headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    for (const secret of [SECRET, PREVIOUS]) {
      expect(new Webhook(secret).verify(hit?.body ?? '', headers)).toMatchObject({
        type: 'payment.updated',
        data: { sequence: 1, payment: { id: 'PKa' } },
      });
    }
    const stranger = `whsec_${randomBytes(32).toString('base64')}`;
    expect(() => new Webhook(stranger).verify(hit?.body ?? '', headers)).toThrow(/No matching signature/);
    await until(() => rows(db).length === 0);
    await webhooks.stop();
  });

  it('carries no token and no expiry; a digit-only change is not sent', async () => {
    const hook = await receiver(() => 204);
    const db = await database('payload');
    const { webhooks } = sender(db);
    webhooks.start();
    webhooks.send(hook.url, update('PKp', 1, {}, true));
    webhooks.send(
      hook.url,
      update('PKp', 2, {
        status: 'succeeded',
        capture: null,
        result: {
          outcome: 'success',
          token: 'tok_secret_reusable',
          last4: '4242',
          brand: 'visa',
          expMonth: 12,
          expYear: 2030,
          confirmationCode: 'CONF1',
        },
      }),
    );
    await until(() => hook.hits.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hook.hits).toHaveLength(1);
    const body = JSON.parse(hook.hits[0]?.body ?? '{}');
    expect(body.data).toMatchObject({
      sequence: 2,
      payment: { result: { last4: '4242', confirmationCode: 'CONF1' } },
    });
    expect(hook.hits[0]?.body).not.toMatch(/tok_secret|expMonth|expYear|2030/);
    await webhooks.stop();
  });

  it("sends a change to an earlier run's payment to its stored callback: the stored view, numbered on", async () => {
    const hook = await receiver(() => 204);
    const db = await database('recorded');
    const { webhooks } = sender(db);
    webhooks.start();
    const record: PaymentStatusRecord = {
      id: 'PKr',
      callId: 'CAr',
      agent: 'alice',
      status: 'succeeded',
      capture: null,
      required: ['payment-card-number'],
      fields: { 'payment-card-number': { state: 'captured', digits: 16, brand: 'visa', valid: true } },
      outcome: 'success',
      startedAt: '2026-12-03T07:00:00.000Z',
      updatedAt: '2026-12-03T07:05:00.000Z',
      statusCallback: hook.url,
      sequence: 9,
    };
    webhooks.sendRecorded({ ...record, id: 'PKnone', statusCallback: undefined });
    webhooks.sendRecorded(record);
    await until(() => hook.hits.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hook.hits).toHaveLength(1);
    const hit = hook.hits[0] as Hit;
    expect(new Webhook(SECRET).verify(hit.body, hit.headers as Record<string, string>)).toEqual({
      type: 'payment.updated',
      timestamp: '2026-12-03T07:05:00.000Z',
      data: {
        sequence: 9,
        payment: {
          id: 'PKr',
          callId: 'CAr',
          status: 'succeeded',
          capture: null,
          required: ['payment-card-number'],
          fields: {
            'payment-card-number': {
              state: 'captured',
              digits: 16,
              brand: 'visa',
              valid: true,
              masked: '*'.repeat(16),
            },
          },
          result: { outcome: 'success' },
        },
      },
    });
    expect(hit.body).not.toMatch(/alice|statusCallback|hook/);
    await webhooks.stop();
  });

  it('retries with the same webhook-id, keeps a payment in order, gives up after the schedule', async () => {
    // PKo's first change fails twice before it goes; its second must wait. PKz always fails.
    const hook = await receiver((hit, index) => {
      const id = JSON.parse(hit.body).data.payment.id;
      if (id === 'PKz') return 500;
      return index < 2 ? 503 : 204;
    });
    const db = await database('retries');
    const { webhooks, logs } = sender(db, { delays: [150, 150] });
    webhooks.start();
    webhooks.send(hook.url, update('PKo', 1));
    webhooks.send(hook.url, update('PKo', 2));
    await until(() => hook.hits.filter((hit) => hit.body.includes('PKo')).length === 4);
    const mine = hook.hits.filter((hit) => hit.body.includes('PKo'));
    const sequences = mine.map((hit) => JSON.parse(hit.body).data.sequence);
    expect(sequences).toEqual([1, 1, 1, 2]);
    const ids = mine.map((hit) => hit.headers['webhook-id']);
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(ids[3]).not.toBe(ids[0]);

    webhooks.send(hook.url, update('PKz', 1));
    await until(() => rows(db).some((row) => row.state === 'given-up'));
    expect(rows(db)).toEqual([expect.objectContaining({ state: 'given-up', attempts: 3 })]);
    expect(hook.hits.filter((hit) => hit.body.includes('PKz'))).toHaveLength(3);
    expect(logs.text()).toContain('status callback given up');
    await webhooks.stop();
  });

  it('stop aborts an attempt in flight at once; the next sender on the same database delivers it, same id', async () => {
    const hanging = await receiver(() => undefined);
    const file = 'restart';
    const first = sender(await database(file));
    first.webhooks.start();
    first.webhooks.send(hanging.url, update('PKr', 1));
    await until(() => hanging.hits.length === 1);
    const started = performance.now();
    await first.webhooks.stop();
    const stopMs = performance.now() - started;
    expect(stopMs).toBeLessThan(200);
    first.webhooks.send(hanging.url, update('PKr', 2)); // a change after the stop is queued, not sent
    for (const item of open.splice(0)) item.close();

    const hook = await receiver(() => 204);
    const db = await database(file);
    db.prepare('UPDATE webhook_deliveries SET url = ?').run(hook.url);
    expect(rows(db).map((row) => row.attempts)).toEqual([0, 0]);
    const second = sender(db);
    second.webhooks.start();
    await until(() => hook.hits.length === 2);
    expect(hook.hits.map((hit) => JSON.parse(hit.body).data.sequence)).toEqual([1, 2]);
    expect(hook.hits[0]?.headers['webhook-id']).toBe(hanging.hits[0]?.headers['webhook-id']);
    await until(() => rows(db).length === 0);
    await second.webhooks.stop();
    console.info(`webhooks: stop with an attempt in flight took ${stopMs.toFixed(1)} ms`);
  });

  it('connects to the address it checked: a name resolving to metadata is refused, a mixed answer pinned', async () => {
    const hook = await receiver(() => 204);
    const db = await database('pinning');
    const answers: string[][] = [['169.254.169.254'], ['169.254.169.254', '10.0.0.7', '127.0.0.1']];
    const asked: string[] = [];
    const resolve: Resolve = async (host) => {
      asked.push(host);
      return answers[Math.min(asked.length - 1, answers.length - 1)] ?? [];
    };
    const { webhooks, logs } = sender(db, { hosts: ['hooks.test', '127.0.0.1'], resolve, delays: [100] });
    webhooks.start();
    webhooks.send(`http://hooks.test:${hook.port}/hook`, update('PKd', 1));
    await until(() => hook.hits.length === 1);
    // first attempt: only metadata, refused without connecting; second: the one named address
    expect(asked).toEqual(['hooks.test', 'hooks.test']);
    expect(hook.hits[0]?.headers.host).toBe(`hooks.test:${hook.port}`);
    expect(logs.text()).toContain('refused addresses (metadata)');
    await webhooks.stop();
  });
});

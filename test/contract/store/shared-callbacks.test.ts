import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { allowList } from '../../../src/adapters/webhooks/callback-url-policy.js';
import { RedisCallbackQueue } from '../../../src/adapters/webhooks/redis-callback-queue.js';
import { WebhookSender } from '../../../src/adapters/webhooks/webhook-sender.js';
import { WebhookSigner } from '../../../src/adapters/webhooks/webhook-signer.js';
import { systemClock, systemTimers } from '../../../src/application/clock.js';
import { captureLogs } from '../../support/log-capture.js';
import { useTestRedis } from '../../support/redis-server.js';

const shared = useTestRedis();
const servers: Array<{ close(): void }> = [];
afterAll(() => {
  for (const server of servers) server.close();
});

/** A receiver on 127.0.0.1 that answers 204 and keeps each body. */
async function receiver(): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, bodies };
}

async function gatewaySender(owner: string, options: { claimMs: number; pollMs: number }) {
  const queue = new RedisCallbackQueue(await shared.bridge(), {
    owner,
    claimMs: options.claimMs,
    now: () => systemClock.now(),
  });
  const logs = captureLogs();
  const sender = new WebhookSender({
    queue,
    signer: new WebhookSigner([`whsec_${randomBytes(32).toString('base64')}`]),
    allowList: allowList(['127.0.0.1'], { loopback: true }),
    retryDelaysMs: [100],
    attemptTimeoutMs: 2_000,
    clock: systemClock,
    timers: systemTimers,
    logger: logs.logger,
    pollMs: options.pollMs,
  });
  return { queue, sender, logs };
}

describe('status callbacks on a queue two gateways share', () => {
  it('a callback whose gateway died holding its claim is sent by the other gateway, once', async () => {
    const crm = await receiver();
    const a = await gatewaySender('gw-a', { claimMs: 5_000, pollMs: 100 });
    // A queues a callback and claims it, then dies before sending (no sender of A runs)
    a.queue.add({
      id: 'msg_orphan',
      paymentId: 'PKorphan',
      url: crm.url,
      body: '{"n":1}',
      now: systemClock.now(),
    });
    expect(a.queue.heads(10).map((head) => head.id)).toEqual(['msg_orphan']);
    const b = await gatewaySender('gw-b', { claimMs: 5_000, pollMs: 100 });
    b.sender.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(crm.bodies).toEqual([]); // A's claim still holds
      for (let waited = 0; crm.bodies.length === 0 && waited < 10_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(crm.bodies).toEqual(['{"n":1}']);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(crm.bodies).toHaveLength(1);
      expect(b.queue.pendingCount).toBe(0);
    } finally {
      await b.sender.stop();
    }
  });

  it('a sender whose Redis is gone keeps running and says so, and crashes nothing (the last test: it stops Redis)', async () => {
    const crm = await receiver();
    const b = await gatewaySender('gw-b', { claimMs: 5_000, pollMs: 100 });
    const logs = b.logs;
    b.sender.start();
    await shared.server().stop();
    // queuing fails at once (the payment listeners log it and go on); the loop keeps looking
    expect(() =>
      b.sender.send(crm.url, {
        view: { id: 'PKgone', callId: 'CA1', status: 'failed', capture: null, required: [], fields: {} },
        sequence: 1,
        at: new Date().toISOString(),
        progress: false,
      } as never),
    ).toThrow(expect.objectContaining({ code: 'GW_ERR_STATE_STORE' }));
    await new Promise((resolve) => setTimeout(resolve, 400));
    await b.sender.stop();
    expect(logs.text()).toContain('status callback queue unreadable; retrying');
    expect(crm.bodies).toEqual([]);
  });
});

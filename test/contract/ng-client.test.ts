import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import bencode from 'bencode';
import { afterEach, describe, expect, it } from 'vitest';
import { NgClient } from '../../src/adapters/rtpengine/ng-client.js';
import { systemClock } from '../../src/application/clock.js';
import { captureLogs } from '../support/log-capture.js';

/** A local NG server on port 0 that answers with recorded replies (bencode, as rtpengine sends). */
async function fakeRtpengine(
  answer: (cookie: string, request: Record<string, unknown>, attempt: number) => Buffer | undefined,
): Promise<{ port: number; socket: Socket; requests: string[] }> {
  const socket = createSocket('udp4');
  const attempts = new Map<string, number>();
  const requests: string[] = [];
  socket.on('message', (datagram: Buffer, remote: RemoteInfo) => {
    const space = datagram.indexOf(0x20);
    const cookie = datagram.subarray(0, space).toString();
    const request = bencode.decode(datagram.subarray(space + 1)) as Record<string, unknown>;
    const command = new TextDecoder().decode(request.command as Uint8Array);
    requests.push(`${cookie} ${command}`);
    const attempt = (attempts.get(cookie) ?? 0) + 1;
    attempts.set(cookie, attempt);
    const reply = answer(cookie, request, attempt);
    if (reply) socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, socket, requests };
}

const reply = (cookie: string, body: Record<string, unknown>) =>
  Buffer.concat([Buffer.from(`${cookie} `), Buffer.from(bencode.encode(body))]);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setUp(answer: Parameters<typeof fakeRtpengine>[0], options: { retries?: number } = {}) {
  const server = await fakeRtpengine(answer);
  const logs = captureLogs();
  const client = await NgClient.open({
    host: '127.0.0.1',
    port: server.port,
    timeoutMs: 80,
    retries: options.retries ?? 2,
    clock: systemClock,
    logger: logs.logger,
  });
  cleanups.push(
    () => client.close(),
    () => new Promise<void>((resolve) => server.socket.close(() => resolve())),
  );
  return { server, client, logs };
}

describe('NgClient against a local NG server', () => {
  it('pings and gets pong', async () => {
    const { client } = await setUp((cookie) => reply(cookie, { result: 'pong' }));
    await expect(client.ping()).resolves.toBeUndefined();
    expect(client.pendingCount).toBe(0);
  });

  it('decodes nested replies to strings, numbers, lists and dictionaries', async () => {
    const { client } = await setUp((cookie) =>
      reply(cookie, { result: 'ok', duration: 3118, calls: ['a', 'b'], totals: { current: { x: 1 } } }),
    );
    await expect(client.request({ command: 'list' })).resolves.toEqual({
      result: 'ok',
      duration: 3118,
      calls: ['a', 'b'],
      totals: { current: { x: 1 } },
    });
  });

  it('resends with the same cookie after a timeout, and resolves on the late answer', async () => {
    const { client, server } = await setUp((cookie, _request, attempt) =>
      attempt >= 3 ? reply(cookie, { result: 'pong' }) : undefined,
    );
    await client.ping();
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests).size).toBe(1);
  });

  it('rejects with a retryable GW_ERR_NG_TIMEOUT when no attempt is answered', async () => {
    const { client, server } = await setUp(() => undefined, { retries: 1 });
    await expect(client.ping()).rejects.toMatchObject({ code: 'GW_ERR_NG_TIMEOUT', retryable: true });
    expect(server.requests).toHaveLength(2);
    expect(client.pendingCount).toBe(0);
  });

  it('turns result "error" into GW_ERR_NG_ERROR with the reason', async () => {
    const { client } = await setUp((cookie) =>
      reply(cookie, { result: 'error', 'error-reason': 'Unknown call-id' }),
    );
    await expect(client.request({ command: 'block DTMF', 'call-id': 'x' })).rejects.toMatchObject({
      code: 'GW_ERR_NG_ERROR',
      message: expect.stringContaining('Unknown call-id'),
    });
  });

  it('rejects a reply without result as GW_ERR_NG_PROTOCOL', async () => {
    const { client } = await setUp((cookie) => reply(cookie, { nothing: 'here' }));
    await expect(client.ping()).rejects.toMatchObject({ code: 'GW_ERR_NG_PROTOCOL' });
  });

  it('drops undecodable replies and unknown cookies, and still gets the real answer', async () => {
    const { client, server, logs } = await setUp((cookie, _request, attempt) => {
      if (attempt === 1) {
        return Buffer.from(`${cookie} d6:result`); // truncated bencode
      }
      return reply(cookie, { result: 'pong' });
    });
    server.socket.on('message', (_d, remote) =>
      server.socket.send(reply('nobody', { result: 'pong' }), remote.port),
    );
    await client.ping();
    expect(logs.text()).toContain('undecodable NG reply dropped');
  });

  it('matches concurrent replies to their requests by cookie, answered out of order', async () => {
    const held: Buffer[] = [];
    const { client, server } = await setUp((cookie, request) => {
      const name = new TextDecoder().decode(request.command as Uint8Array);
      held.push(reply(cookie, { result: 'ok', echo: name }));
      return undefined;
    });
    let clientPort = 0;
    server.socket.on('message', (_datagram, remote) => {
      clientPort = remote.port;
    });
    const first = client.request({ command: 'one' });
    const second = client.request({ command: 'two' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const datagram of held.reverse()) server.socket.send(datagram, clientPort, '127.0.0.1');
    await expect(first).resolves.toMatchObject({ echo: 'one' });
    await expect(second).resolves.toMatchObject({ echo: 'two' });
  });

  it('rejects every pending request on close, and new ones after', async () => {
    const { client } = await setUp(() => undefined);
    const pending = [client.ping(), client.request({ command: 'list' })];
    await client.close();
    for (const request of pending) await expect(request).rejects.toMatchObject({ code: 'GW_ERR_NG_CLOSED' });
    await expect(client.ping()).rejects.toMatchObject({ code: 'GW_ERR_NG_CLOSED' });
  });
});

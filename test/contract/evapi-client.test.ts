import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../src/adapters/kamailio/call-event.js';
import { EvapiClient } from '../../src/adapters/kamailio/evapi-client.js';
import { answeredEvent } from '../support/call-fixtures.js';
import { captureLogs } from '../support/log-capture.js';

const answered = answeredEvent('c1@127.0.0.1', {
  fromTag: 'ft',
  toTag: 'tt',
  customerTag: 'ft',
  agentTag: 'tt',
});
const netstring = (value: unknown) => {
  const json = typeof value === 'string' ? value : JSON.stringify(value);
  return `${Buffer.byteLength(json)}:${json},`;
};

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function kamailioLike(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { server, port, sockets };
}

async function until(condition: () => boolean, ms = 2000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function client(port: number) {
  const logs = captureLogs();
  const events: CallEvent[] = [];
  let connections = 0;
  const evapi = new EvapiClient({
    host: '127.0.0.1',
    port,
    reconnectMs: 50,
    logger: logs.logger,
    onEvent: (event) => events.push(event),
    onConnected: () => {
      connections += 1;
    },
  });
  evapi.start();
  cleanups.push(() => evapi.stop());
  return { evapi, events, logs, connections: () => connections };
}

describe('EvapiClient against a local TCP server', () => {
  it('parses call events split across TCP chunks', async () => {
    const kamailio = await kamailioLike();
    const { events, connections } = client(kamailio.port);
    await until(() => connections() === 1 && kamailio.sockets.length === 1);
    const bytes =
      netstring(answered) + netstring({ event: 'call-ended', callId: 'c1@127.0.0.1', reason: 'bye', ts: 1 });
    const socket = kamailio.sockets[0] as Socket;
    socket.write(bytes.slice(0, 7));
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.write(bytes.slice(7));
    await until(() => events.length === 2);
    expect(events.map((event) => event.event)).toEqual(['call-answered', 'call-ended']);
  });

  it('drops a malformed event without its content and keeps the stream', async () => {
    const kamailio = await kamailioLike();
    const { events, logs, connections } = client(kamailio.port);
    await until(() => connections() === 1 && kamailio.sockets.length === 1);
    const socket = kamailio.sockets[0] as Socket;
    socket.write(
      netstring({ ...answered, direction: 'sideways', caller: 'secret-caller' }) + netstring(answered),
    );
    await until(() => events.length === 1);
    expect(logs.text()).toContain('GW_ERR_SIP_EVENT_MALFORMED');
    expect(logs.text()).not.toContain('secret-caller');
  });

  it('reconnects after the server closes and after a framing error, calling onConnected each time', async () => {
    const kamailio = await kamailioLike();
    const { evapi, connections } = client(kamailio.port);
    await until(() => connections() === 1 && kamailio.sockets.length === 1);
    (kamailio.sockets[0] as Socket).destroy();
    await until(() => connections() === 2 && kamailio.sockets.length === 2);
    (kamailio.sockets[1] as Socket).write('abc:def,');
    await until(() => connections() === 3);
    expect(evapi.connected).toBe(true);
    expect(evapi.malformedCount).toBe(1);
  });

  it('keeps trying while nothing listens, then connects', async () => {
    const probe = await kamailioLike();
    const port = probe.port;
    await new Promise<void>((resolve) => probe.server.close(() => resolve()));
    const { connections } = client(port);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(connections()).toBe(0);
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await until(() => connections() === 1);
  });
});

import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { DtmfEvent } from '../../src/adapters/rtpengine/dtmf-event.js';
import { DTMF_RECEIVE_BUFFER_BYTES, DtmfListener } from '../../src/adapters/rtpengine/dtmf-listener.js';
import { DTMF_MAX_IN_FLIGHT } from '../../src/adapters/rtpengine/dtmf-receive-thread.js';
import { systemClock } from '../../src/application/clock.js';
import { captureLogs } from '../support/log-capture.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(allowedSources: string[]) {
  const logs = captureLogs();
  const events: DtmfEvent[] = [];
  const listener = new DtmfListener({
    clock: systemClock,
    host: '127.0.0.1',
    port: 0,
    tonesPort: 0,
    allowedSources,
    logger: logs.logger,
    onEvent: (event) => events.push(event),
  });
  const port = await listener.start();
  closers.push(() => listener.close());
  return { listener, port, events, logs };
}

async function send(port: number, payloads: Array<string | Buffer>, from = '127.0.0.1') {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, from, resolve));
  for (const payload of payloads) {
    await new Promise<void>((resolve, reject) =>
      socket.send(payload, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.close();
}

const report = (callid: string, tag: string, event: number) =>
  JSON.stringify({
    callid,
    source_tag: tag,
    tags: [tag],
    type: 'DTMF',
    timestamp: 1,
    source_ip: '127.0.0.1',
    event,
    duration: 80,
    volume: 8,
  });

describe('DtmfListener over real UDP', () => {
  it('delivers valid reports in order', async () => {
    const { port, events, listener } = await listen(['127.0.0.1']);
    await send(port, [report('c1', 't1', 4), report('c1', 't1', 2), report('c1', 't1', 11)]);
    expect(events.map((event) => event.key)).toEqual(['4', '2', '#']);
    expect(listener.stats).toEqual({
      accepted: 3,
      droppedSource: 0,
      malformed: 0,
      duplicates: 0,
      overflow: 0,
    });
  });

  it('logs each accepted report at debug with its Call-ID and arrival time, never the key', async () => {
    const { port, logs } = await listen(['127.0.0.1']);
    const before = Date.now();
    await send(port, [report('c1', 't1', 4), report('c1', 't1', 7)]);
    const accepted = logs.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'DTMF report accepted');
    expect(accepted).toHaveLength(2);
    for (const line of accepted) {
      expect(line).toMatchObject({ level: 20, sipCallId: 'c1' });
      expect(Number(line.receivedAtS) * 1000).toBeGreaterThanOrEqual(before - 5);
      expect(Number(line.receivedAtS) * 1000).toBeLessThanOrEqual(Date.now() + 5);
      expect(JSON.stringify(line)).not.toMatch(/\d{13}/);
      expect(Object.keys(line)).not.toContain('key');
      expect(Object.keys(line)).not.toContain('event');
    }
    expect(logs.text()).not.toMatch(/"(key|event)"/);
  });

  it('asks for a large receive buffer so a pause of the event loop does not drop reports', async () => {
    const { listener } = await listen(['127.0.0.1']);
    // Linux caps the size asked at net.core.rmem_max and reports twice the size it granted
    const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
    expect(listener.receiveBufferBytes).toBe(2 * Math.min(DTMF_RECEIVE_BUFFER_BYTES, rmemMax));
  });

  it('keeps two reports of one key from the same hop: two key presses, however close', async () => {
    const { port, events, listener } = await listen(['127.0.0.1']);
    await send(port, [report('c1', 't1', 4), report('c1', 't1', 4), report('c1', 't1', 2)]);
    expect(events.map((event) => event.key)).toEqual(['4', '4', '2']);
    expect(listener.stats.duplicates).toBe(0);
  });

  it('drops the mask hop’s reports of a party once the edge reported an event of it (a phone that sends keys both ways)', async () => {
    const { port, events, listener } = await listen(['127.0.0.1']);
    const tones = listener.tonesPort ?? 0;
    expect(tones).toBeGreaterThan(0);
    // another party's tones first: kept
    await send(tones, [report('c1', 't2', 5)]);
    await send(port, [report('c1', 't1', 4)]);
    await send(tones, [report('c1', 't1', 4), report('c1', 't1', 7)]);
    await send(port, [report('c1', 't1', 7)]);
    expect(events.map((event) => `${event.sourceTag}:${event.key}`)).toEqual(['t2:5', 't1:4', 't1:7']);
    expect(listener.stats.duplicates).toBe(2);
  });

  it('logs which hop reported each key, and each twin it dropped, never the key', async () => {
    const { port, listener, logs } = await listen(['127.0.0.1']);
    const tones = listener.tonesPort ?? 0;
    await send(port, [report('c1', 't1', 4)]);
    await send(tones, [report('c1', 't1', 4)]);
    await send(tones, [report('c2', 't3', 9)]);
    const lines = logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const dtmf = lines.filter((line) => String(line.msg).startsWith('DTMF report'));
    expect(dtmf.map((line) => [line.msg, line.sipCallId, line.report])).toEqual([
      ['DTMF report accepted', 'c1', 'rfc4733'],
      ["DTMF report dropped: the other hop's twin", 'c1', 'in-band'],
      ['DTMF report accepted', 'c2', 'in-band'],
    ]);
    expect(logs.text()).not.toMatch(/"(key|event)"/);
  });

  it('drops and counts datagrams from outside the allow-list', async () => {
    const { port, events, listener, logs } = await listen(['127.0.0.1']);
    await send(port, [report('c1', 't1', 4)], '127.0.0.5');
    expect(events).toEqual([]);
    expect(listener.stats.droppedSource).toBe(1);
    expect(logs.text()).toContain('GW_ERR_DTMF_SOURCE');
  });

  it('drops malformed datagrams, logs without their content, and keeps going', async () => {
    const { port, events, listener, logs } = await listen(['127.0.0.1']);
    const secret = '4242424242424242';
    await send(port, [`{"callid":"${secret}","event":"x"}`, 'garbage', report('c2', 't2', 7)]);
    expect(events.map((event) => event.key)).toEqual(['7']);
    expect(listener.stats.malformed).toBe(2);
    expect(logs.text()).toContain('GW_ERR_DTMF_MALFORMED');
    expect(logs.text()).not.toContain(secret);
    expect(logs.text()).not.toContain('garbage');
  });

  it('times each report at its arrival, so a busy main thread cannot turn a repeated key into a duplicate', async () => {
    const { port, events, listener } = await listen(['127.0.0.1']);
    // a person keying 2, 2 (80 ms tone, 100 ms gap): two reports 180 ms apart, sent from another
    // thread while this one is blocked — the main thread handles both only afterwards, back to back
    const sender = new Worker(
      `const { createSocket } = require('node:dgram');
       const { workerData } = require('node:worker_threads');
       const socket = createSocket('udp4');
       const send = (then) => socket.send(workerData.report, workerData.port, '127.0.0.1', then);
       send(() => setTimeout(() => send(() => socket.close()), 180));`,
      { eval: true, workerData: { port, report: report('c1', 't1', 2) } },
    );
    const blockedUntil = Date.now() + 1_000;
    while (Date.now() < blockedUntil) {
      // the main thread's event loop is busy (a burst of key presses, GC, a TLS handshake)
    }
    await new Promise((resolve) => sender.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.map((event) => event.key)).toEqual(['2', '2']);
    expect(listener.stats.duplicates).toBe(0);
  });

  it('fails to start with GW_ERR_DTMF_SOCKET when the port is taken', async () => {
    const { port } = await listen(['127.0.0.1']);
    const second = new DtmfListener({
      clock: systemClock,
      host: '127.0.0.1',
      port,
      tonesPort: 0,
      allowedSources: ['127.0.0.1'],
      logger: captureLogs().logger,
      onEvent: () => undefined,
    });
    await expect(second.start()).rejects.toMatchObject({ code: 'GW_ERR_DTMF_SOCKET' });
    expect(second.running).toBe(false);
  });

  it('settles a start that close() interrupts', async () => {
    const listener = new DtmfListener({
      clock: systemClock,
      host: '127.0.0.1',
      port: 0,
      tonesPort: 0,
      allowedSources: ['127.0.0.1'],
      logger: captureLogs().logger,
      onEvent: () => undefined,
    });
    const refused = expect(listener.start()).rejects.toMatchObject({ code: 'GW_ERR_DTMF_SOCKET' });
    await listener.close();
    await refused;
    expect(listener.running).toBe(false);
  });

  it('bounds what waits for a blocked main thread: past the limit datagrams are dropped and counted', async () => {
    const { port, listener } = await listen(['127.0.0.1']);
    const total = DTMF_MAX_IN_FLIGHT + 1_000;
    const sender = new Worker(
      `const { createSocket } = require('node:dgram');
       const { workerData } = require('node:worker_threads');
       const socket = createSocket('udp4');
       let sent = 0;
       const next = () => {
         if (sent === workerData.total) return socket.close();
         sent += 1;
         // a call of its own per datagram: each is a first report, none a duplicate
         socket.send(workerData.report.replace('c-flood', 'c-flood-' + sent), workerData.port, '127.0.0.1', next);
       };
       next();`,
      { eval: true, workerData: { port, total, report: report('c-flood', 't1', 7) } },
    );
    const exited = new Promise((resolve) => sender.once('exit', resolve));
    const blockedUntil = Date.now() + 2_000;
    while (Date.now() < blockedUntil) {
      // the main thread takes nothing while the sender floods
    }
    await exited;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stats = listener.stats;
    expect(stats.overflow).toBeGreaterThan(0);
    expect(stats.duplicates).toBe(0);
    expect(stats.accepted).toBeLessThanOrEqual(DTMF_MAX_IN_FLIGHT);
    expect(stats.accepted + stats.overflow).toBe(total);
  });
});

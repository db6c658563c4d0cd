import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentMediaThread } from '../../../scripts/bench/agent-media-thread.js';
import { encodePcmu } from '../../support/media/g711.js';
import { buildRtpPacket, buildTelephoneEvent, parseRtpPacket } from '../../support/media/rtp.js';

const pcmu = (sequenceNumber: number) =>
  buildRtpPacket({
    payloadType: 0,
    sequenceNumber,
    timestamp: sequenceNumber * 160,
    ssrc: 0x1234,
    payload: encodePcmu(new Int16Array(160)),
  });
const digitFive = (sequenceNumber: number, end: boolean) =>
  buildRtpPacket({
    payloadType: 101,
    sequenceNumber,
    timestamp: 8000,
    ssrc: 0x1234,
    payload: buildTelephoneEvent({ event: 5, end, volume: 10, duration: 320 }),
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('bench agent media thread', () => {
  let thread: AgentMediaThread | undefined;
  let customer: Socket | undefined;
  afterEach(async () => {
    await thread?.terminate();
    customer?.close();
  });

  it('records and reports every packet each sampled agent receives, and talks back', async () => {
    thread = await AgentMediaThread.start({ address: '127.0.0.1', count: 2 });
    expect(thread.ports).toHaveLength(2);
    const [first, second] = thread.ports as [number, number];
    const socket = createSocket('udp4');
    customer = socket;
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const heard: number[] = [];
    socket.on('message', (bytes, remote) => {
      if (remote.port === first) heard.push(parseRtpPacket(bytes).payloadType);
    });
    const send = (bytes: Buffer, port: number) =>
      new Promise<void>((resolve, reject) =>
        socket.send(bytes, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
      );
    for (let i = 0; i < 5; i += 1) await send(pcmu(i), first);
    await send(pcmu(0), second);
    await send(pcmu(1), second);
    for (const [i, end] of [false, false, true].entries()) await send(digitFive(2 + i, end), second);
    await sleep(150);

    const reports = await thread.finish();
    expect(reports.map((report) => [report.packets, report.digitEvents])).toEqual([
      [5, 0],
      [5, 1],
    ]);
    // the agent answers with PCMU, 20 ms apart, to where the customer's media came from
    expect(heard.length).toBeGreaterThanOrEqual(3);
    expect(new Set(heard)).toEqual(new Set([0]));
  });
});

/**
 * The report-path probe against a local stand-in for one rtpengine: an NG server on port 0 that
 * answers offer/answer/block DTMF/delete, a media socket it names in its SDP, and a report sent to
 * the probe for each key's end packet — the first `lose` reports dropped, as rtpengine 10.5 drops
 * the report after one sent while nothing listened. The real rtpengine case runs in
 * test/integration/report-path.test.ts.
 */

import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { NgClient } from '../../src/adapters/rtpengine/ng-client.js';
import {
  decodeNgMessage,
  encodeNgMessage,
  type NgDictionary,
} from '../../src/adapters/rtpengine/ng-codec.js';
import { PROBE_CALL_ID_PREFIX, ReportPathProbe } from '../../src/adapters/rtpengine/report-path-probe.js';
import { systemClock, systemTimers } from '../../src/application/clock.js';
import { captureLogs } from '../support/log-capture.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function bound(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket;
}

/** One rtpengine stand-in: reports each key's first end packet (E bit) to `onReport`, after dropping `lose`. */
async function standIn(options: { lose: number; onReport: (callId: string) => void }) {
  const ng = await bound();
  const media = await bound();
  const commands: string[] = [];
  let callId = '';
  let lost = 0;
  const reportedAt = new Set<number>();
  ng.on('message', (datagram, remote) => {
    const { cookie, message } = decodeNgMessage(datagram);
    commands.push(String(message.command));
    callId = String(message['call-id']);
    const sdp = `v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio ${media.address().port} RTP/AVP 0 101\r\n`;
    const withSdp = message.command === 'offer' || message.command === 'answer';
    const reply: NgDictionary = withSdp ? { result: 'ok', sdp } : { result: 'ok' };
    ng.send(encodeNgMessage(cookie, reply), remote.port, remote.address);
  });
  media.on('message', (packet) => {
    const isEventEnd = (packet[1] ?? 0) % 128 === 101 && ((packet[13] ?? 0) & 0x80) !== 0;
    const timestamp = packet.readUInt32BE(4);
    if (!isEventEnd || reportedAt.has(timestamp)) return;
    reportedAt.add(timestamp);
    if (lost < options.lose) lost += 1;
    else options.onReport(callId);
  });
  const logs = captureLogs();
  const client = await NgClient.open({
    host: '127.0.0.1',
    port: ng.address().port,
    timeoutMs: 500,
    retries: 0,
    clock: systemClock,
    logger: logs.logger,
  });
  cleanups.push(() => client.close());
  return { client, commands };
}

describe('ReportPathProbe', () => {
  it.each([
    { lose: 0, keysSent: 1 },
    { lose: 1, keysSent: 2 },
    { lose: 2, keysSent: 3 },
  ])('a hop that loses $lose report(s) first: passes after $keysSent key(s)', async ({ lose, keysSent }) => {
    let probe: ReportPathProbe | undefined;
    const hop = await standIn({ lose, onReport: (callId) => probe?.claims(callId) });
    probe = new ReportPathProbe({
      hops: [],
      timers: systemTimers,
      logger: captureLogs().logger,
      reportTimeoutMs: 300,
    });
    const result = await probe.run({ name: 'edge', ng: hop.client, block: {} });
    expect(result).toEqual({ hop: 'edge', keysSent });
    // its own call, blocked as the hop blocks at answer, and deleted again
    expect(hop.commands).toEqual(['offer', 'answer', 'block DTMF', 'delete']);
  });

  it('fails with GW_ERR_DTMF_REPORT_PATH when no report comes back, and still deletes its call', async () => {
    let probe: ReportPathProbe | undefined;
    const hop = await standIn({ lose: 99, onReport: (callId) => probe?.claims(callId) });
    probe = new ReportPathProbe({
      hops: [],
      timers: systemTimers,
      logger: captureLogs().logger,
      reportTimeoutMs: 200,
    });
    await expect(probe.run({ name: 'mask', ng: hop.client, block: {} })).rejects.toMatchObject({
      code: 'GW_ERR_DTMF_REPORT_PATH',
    });
    expect(hop.commands.at(-1)).toBe('delete');
  });

  it("claims the reports of its own calls only, not a customer's call named like one", async () => {
    let probe: ReportPathProbe | undefined;
    let probeCallId = '';
    const hop = await standIn({
      lose: 0,
      onReport: (callId) => {
        probeCallId = callId;
        probe?.claims(callId);
      },
    });
    probe = new ReportPathProbe({ hops: [], timers: systemTimers, logger: captureLogs().logger });
    await probe.run({ name: 'edge', ng: hop.client, block: {} });
    expect(probeCallId.startsWith(PROBE_CALL_ID_PREFIX)).toBe(true);
    // a late report of its call is still its own
    expect(probe.claims(probeCallId)).toBe(true);
    expect(probe.claims(`${PROBE_CALL_ID_PREFIX}edge-lookalike`)).toBe(false);
    expect(probe.claims('a-customer-call@127.0.0.1')).toBe(false);
  });
});

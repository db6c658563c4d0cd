import { afterEach, describe, expect, it } from 'vitest';
import { dtmfSequence } from '../../support/media/dtmf-tone.js';
import { sendPcmu, sendRtpPackets } from '../../support/media/rtp-sender.js';
import { RtpSink } from '../../support/media/rtp-sink.js';
import { buildPcmuRtpStream } from '../../support/media/rtp-stream.js';
import { silence } from '../../support/media/signal.js';

describe('RTP sink and sender over loopback UDP', () => {
  let sink: RtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
    sink = undefined;
  });

  it('records a paced PCMU stream and finds its in-band digits', async () => {
    sink = await RtpSink.open({ address: '127.0.0.2', port: 0 });
    expect(sink.address.address).toBe('127.0.0.2');
    const seq = dtmfSequence('42#', { levelDbfs: -20, toneMs: 60, gapMs: 60, leadInMs: 100, tailMs: 60 });
    const result = await sendPcmu(seq.pcm, { to: sink.address, ssrc: 77 });
    await sink.waitForPackets(result.sent, 2000);

    expect(result.sent).toBe(Math.ceil(seq.pcm.length / 160));
    const arrivals = sink.records.map((r) => r.arrivalMs);
    const spanMs = (arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0);
    expect(spanMs).toBeGreaterThan((result.sent - 1) * 20 - 30);
    expect(spanMs).toBeLessThan((result.sent - 1) * 20 + 100);
    expect(sink.datagrams[0]?.from.address).toBe('127.0.0.1');
    expect([...sink.byPayloadType().keys()]).toEqual([0]);

    const analysis = sink.analyseDtmf();
    expect(analysis.digitString).toBe('42#');
    expect(analysis.toneMs).toBeGreaterThanOrEqual(3 * 50);
    expect(analysis.toneMs).toBeLessThanOrEqual(3 * 70);
    expect(sink.decodePcmu().length).toBe(result.sent * 160);
  });

  it('lists RFC 4733 events and counts non-RTP datagrams', async () => {
    sink = await RtpSink.open();
    const packets = buildPcmuRtpStream(silence(300), { events: [{ digit: '7', startMs: 100, endMs: 200 }] });
    await sendRtpPackets([{ offsetMs: 0, payloadType: -1, bytes: Buffer.from('not rtp') }, ...packets], {
      to: sink.address,
    });
    // every packet, not "quiet for 50 ms": on a loaded machine the paced sender can pause longer
    await sink.waitForPackets(packets.length, 5000);
    expect(sink.malformedCount).toBe(1);
    expect(sink.records).toHaveLength(packets.length);
    expect(sink.telephoneEvents().map((e) => [e.digit, e.ended, e.durationMs])).toEqual([['7', true, 100]]);
    expect(sink.analyseDtmf().toneMs).toBe(0);
    sink.clear();
    expect(sink.records).toHaveLength(0);
  });

  it('refuses anything but loopback and times out waiting for packets that never come', async () => {
    await expect(RtpSink.open({ address: '0.0.0.0' })).rejects.toThrow(RangeError);
    await expect(sendPcmu(silence(20), { to: { address: '10.0.0.1', port: 9 } })).rejects.toThrow(RangeError);
    sink = await RtpSink.open();
    await expect(sink.waitForPackets(1, 50)).rejects.toThrow(/timed out/);
  });
});

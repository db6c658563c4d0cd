import { describe, expect, it } from 'vitest';
import { dtmfSequence } from '../../support/media/dtmf-tone.js';
import { parseRtpPacket } from '../../support/media/rtp.js';
import {
  analyseRtpDtmf,
  decodePcmuRecords,
  splitByPayloadType,
  ssrcsOf,
  telephoneEventsOf,
} from '../../support/media/rtp-analysis.js';
import { buildPcmuRtpStream } from '../../support/media/rtp-stream.js';
import { silence } from '../../support/media/signal.js';

const records = (packets: ReturnType<typeof buildPcmuRtpStream>) =>
  packets.map((p) => ({ arrivalMs: p.offsetMs, packet: parseRtpPacket(p.bytes) }));

describe('RTP analysis', () => {
  const seq = dtmfSequence('369', { levelDbfs: -30, toneMs: 60, gapMs: 60, leadInMs: 100, tailMs: 100 });

  it('reorders packets, drops duplicates and fills lost packets with silence', () => {
    const all = records(
      buildPcmuRtpStream(seq.pcm, { initialSequence: 65530, initialTimestamp: 0xffffff00 }),
    );
    const shuffled = [...all].reverse();
    shuffled.push(all[3] as (typeof all)[number]);
    const lost = shuffled.filter((_, i) => i !== 5);
    const pcm = decodePcmuRecords(lost);
    expect(pcm.length).toBe(all.length * 160);
    expect(decodePcmuRecords(shuffled)).toEqual(decodePcmuRecords(all));
    expect(analyseRtpDtmf(all).digitString).toBe('369');
  });

  it('keeps SSRCs apart and splits by payload type', () => {
    const a = records(buildPcmuRtpStream(silence(100), { ssrc: 1 }));
    const b = records(buildPcmuRtpStream(seq.pcm, { ssrc: 2 }));
    const events = records(
      buildPcmuRtpStream(silence(400), { ssrc: 3, events: [{ digit: '5', startMs: 100, endMs: 200 }] }),
    );
    const mixed = [...a, ...b, ...events];
    expect(ssrcsOf(mixed)).toEqual([1, 2, 3]);
    expect([...splitByPayloadType(mixed).keys()].sort()).toEqual([0, 101]);
    expect(decodePcmuRecords(mixed, { ssrc: 2 }).length).toBe(b.length * 160);
    expect(decodePcmuRecords(mixed).length).toBe(a.length * 160 + b.length * 160 + 400 * 8);
    expect(analyseRtpDtmf(mixed, { ssrc: 2 }).digitString).toBe('369');
    expect(telephoneEventsOf(mixed).map((e) => [e.ssrc, e.event, e.ended])).toEqual([[3, 5, true]]);
  });
});

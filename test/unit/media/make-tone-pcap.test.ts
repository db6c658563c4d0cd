import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPcap } from '../../support/media/pcap-reader.js';
import { parseRtpPacket } from '../../support/media/rtp.js';
import { analyseRtpDtmf, telephoneEventsOf } from '../../support/media/rtp-analysis.js';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '../../../scripts/make-tone-pcap.ts');
const TSX = join(import.meta.dirname, '../../../node_modules/.bin/tsx');

async function makePcap(dir: string, name: string, args: string[]) {
  const out = join(dir, name);
  await run(TSX, [SCRIPT, ...args, '--out', out]);
  const pcap = readPcap(await readFile(out));
  const t0 = pcap.udp[0]?.timeUs ?? 0;
  const records = pcap.udp.map((d) => ({
    arrivalMs: (d.timeUs - t0) / 1000,
    packet: parseRtpPacket(d.payload),
  }));
  return { pcap, records };
}

describe('scripts/make-tone-pcap.ts', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tone-pcap-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes in-band PCMU tones, 20 ms apart, that the detector reads back', async () => {
    const { pcap, records } = await makePcap(dir, 'tones.pcap', [
      '--digits',
      '4242#',
      '--level',
      '-30',
      '--tone-ms',
      '60',
      '--gap-ms',
      '60',
    ]);
    expect(pcap.linkType).toBe(1);
    expect(pcap.udp.every((d) => d.ipChecksumOk && d.dstPort === 10000 && d.srcAddress === '127.0.0.1')).toBe(
      true,
    );
    const gaps = records.slice(1).map((r, i) => r.arrivalMs - (records[i]?.arrivalMs ?? 0));
    expect(new Set(gaps)).toEqual(new Set([20]));
    // 500 ms lead-in, 5 tones, 4 gaps, 500 ms tail.
    expect(records).toHaveLength((500 + 5 * 60 + 4 * 60 + 500) / 20);
    const analysis = analyseRtpDtmf(records);
    expect(analysis.digitString).toBe('4242#');
    expect(analysis.digits[0]?.startMs).toBe(500);
    expect(Math.abs((analysis.digits[0]?.peakLevelDbfs ?? 0) + 30)).toBeLessThan(1);
  }, 30_000);

  it('writes RFC 4733 events with the chosen payload type and no tone in the audio', async () => {
    const { records } = await makePcap(dir, 'events.pcap', ['--digits', '12', '--rfc4733', '--pt', '96']);
    const events = telephoneEventsOf(records, 96);
    expect(events.map((e) => [e.digit, e.ended, e.durationMs])).toEqual([
      ['1', true, 100],
      ['2', true, 100],
    ]);
    expect(analyseRtpDtmf(records).toneMs).toBe(0);
  }, 30_000);

  it('fails with usage on bad input', async () => {
    await expect(run(TSX, [SCRIPT, '--digits', '12x', '--out', join(dir, 'x.pcap')])).rejects.toMatchObject({
      code: 2,
    });
    await expect(
      run(TSX, [SCRIPT, '--digits', '1', '--level', '-3', '--out', join(dir, 'y.pcap')]),
    ).rejects.toMatchObject({ code: 2 });
  }, 30_000);
});

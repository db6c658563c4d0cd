import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { customerStream, keysSectionMs, leadInFor } from '../../../scripts/bench/customer-mix.js';
import { callDelays, localPortOf, type ProbedCall, probeFilter } from '../../../scripts/bench/delay-probe.js';
import { oneHopKamailioCfg } from '../../../scripts/bench/one-hop.js';
import { cardKeys } from '../../../scripts/bench/pcaps.js';
import { MATRIX } from '../../support/masking-matrix.js';
import { PcapWriter } from '../../support/media/pcap-writer.js';
import { REPO_ROOT } from '../../support/stack.js';

const keys = cardKeys(new Date('2026-01-01T00:00:00Z'));
const T0 = Date.UTC(2026, 0, 1) * 1000;

describe('bench delay probe', () => {
  it('finds where rtpengine receives a party in a query reply', () => {
    const reply = {
      result: 'ok',
      tags: {
        '123c4': {
          tag: '123c4',
          medias: [{ index: 1, streams: [{ 'local port': 20010 }, { 'local port': 20011 }] }],
        },
        '99a4': { tag: '99a4', medias: [{ index: 1, streams: [{ 'local port': 20012 }] }] },
      },
    };
    expect(localPortOf(reply, '123c4')).toBe(20010);
    expect(localPortOf(reply, '99a4')).toBe(20012);
    expect(localPortOf(reply, 'nobody')).toBeUndefined();
    expect(localPortOf({ result: 'ok' }, '123c4')).toBeUndefined();
  });

  it('captures only the probed calls: customer → edge port, → agent port', () => {
    const probes = {
      early: { ssrc: 1, fromTimestamp: 0, toTimestamp: 1 },
      late: { ssrc: 1, fromTimestamp: 0, toTimestamp: 1 },
    };
    const filter = probeFilter(
      [
        { sipCallId: 'a', edgePort: 20010, agentPort: 41000, probes },
        { sipCallId: 'b', edgePort: 20014, agentPort: 41002, probes },
      ],
      '127.0.0.4',
    );
    expect(filter).toBe(
      'udp and ((not dst host 127.0.0.4 and (dst port 20010 or dst port 20014)) or (dst host 127.0.0.4 and (dst port 41000 or dst port 41002)))',
    );
  });

  it('measures each call on its own, before and after the keys, ignoring in-band keys', () => {
    const leadIn = leadInFor(500);
    const section = keysSectionMs(keys, MATRIX);
    const inBand = MATRIX.find((spec) => !spec.events && spec.inBandDbfs === -20);
    const events = MATRIX[0];
    if (!inBand || !events) throw new Error('no layouts');
    // two calls through a relay that delays the first by 55 ms, the second by 80 (and 3 ms later start)
    const calls = [
      { spec: inBand, edgePort: 20010, maskPort: 24010, agentPort: 41000, delayMs: 55, startMs: 0 },
      { spec: events, edgePort: 20014, maskPort: 24014, agentPort: 41002, delayMs: 80, startMs: 3 },
    ];
    const datagrams: Array<{
      timeUs: number;
      src: [string, number];
      dst: [string, number];
      payload: Buffer;
    }> = [];
    const probed: ProbedCall[] = [];
    for (const call of calls) {
      const stream = customerStream(keys, call.spec, leadIn, section);
      for (const packet of stream.packets) {
        const at = T0 + Math.round((call.startMs + packet.offsetMs) * 1000);
        datagrams.push({
          timeUs: at,
          src: ['127.0.0.1', 7100],
          dst: ['127.0.0.1', call.edgePort],
          payload: packet.bytes,
        });
        datagrams.push({
          timeUs: at + call.delayMs * 1000,
          src: ['127.0.0.1', call.maskPort],
          dst: ['127.0.0.4', call.agentPort],
          payload: packet.bytes,
        });
      }
      probed.push({
        sipCallId: `call-${call.edgePort}`,
        edgePort: call.edgePort,
        agentPort: call.agentPort,
        probes: stream.probes,
      });
    }
    const writer = new PcapWriter();
    for (const d of datagrams.sort((a, b) => a.timeUs - b.timeUs))
      writer.addUdp(d.timeUs, {
        src: { address: d.src[0], port: d.src[1] },
        dst: { address: d.dst[0], port: d.dst[1] },
        payload: d.payload,
      });
    const measured = callDelays(writer.toBuffer(), probed, {
      rtpRange: [20000, 27999],
      agentAddress: '127.0.0.4',
    });
    expect(measured.map((call) => [call.sipCallId, call.earlyMs, call.lateMs])).toEqual([
      ['call-20010', [55, 55], [55, 55, 55]],
      ['call-20014', [80, 80], [80, 80, 80]],
    ]);
  });
});

describe('bench one-hop baseline', () => {
  it('sends every offer and answer to the edge alone, once, and names no other set', () => {
    const cfg = readFileSync(join(REPO_ROOT, 'sip-config', 'kamailio.cfg'), 'utf8');
    const oneHop = oneHopKamailioCfg(cfg);
    expect(cfg).toMatch(/set_rtpengine_set\("1", "2"\)/);
    expect(cfg).toMatch(/set_rtpengine_set\("3"\)/);
    expect(oneHop).not.toMatch(/set_rtpengine_set\([^)]*"[23]"/);
    // one offer and one answer per route, no second pass over the SDP
    for (const route of ['RTPE_OFFER', 'RTPE_ANSWER']) {
      const block = new RegExp(`route\\[${route}\\] \\{\\n[\\s\\S]*?\\n\\}\\n`).exec(oneHop)?.[0] ?? '';
      expect(block.match(/rtpengine_(offer|answer)\(/g)?.length, route).toBe(1);
      expect(block, route).not.toContain('msg_apply_changes');
    }
    // the routes that call them are unchanged
    expect(oneHop.match(/route\(RTPE_OFFER\)/g)?.length).toBe(cfg.match(/route\(RTPE_OFFER\)/g)?.length);
    expect(() => oneHopKamailioCfg('request_route { exit; }')).toThrow(/no route\[RTPE_OFFER\]/);
  });
});

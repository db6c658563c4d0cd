/**
 * Measures how much DTMF tone reaches the agent when the customer's RFC 4733 events do not start
 * on a 20 ms frame boundary, for several masking configurations (docs/media.md, "Events off the
 * frame grid"). Runs its own Kamailio + rtpengine (run `align`, ports apart from the test suite's
 * and the bench's), SIPp at both ends, and reads rtpengine's DTMF reports itself. No gateway.
 *
 *   npx tsx scripts/measure-dtmf-alignment.ts [--config NAME,…] [--case NAME,…] [--list]
 *
 * Prints one row per configuration and case: digits rtpengine reported for the customer (raw
 * datagrams, and whether they collapse to the keyed sequence), telephone-event packets and ms of
 * DTMF tone at the agent (Goertzel on the decoded PCMU), per-digit leak, loudest DTMF level.
 * Keys are test digits; no report's key is printed.
 */
import { createSocket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { agentAudioReport } from '../test/support/agent-audio.js';
import { CallHarness } from '../test/support/call-harness.js';
import {
  type DtmfPcap,
  type EventClock,
  inBandPcap,
  rfc4733Pcap,
  sipTesterPcap,
} from '../test/support/dtmf-pcap.js';
import { PcapWriter } from '../test/support/media/pcap-writer.js';
import { buildRtpPacket, buildTelephoneEvent, digitToEvent } from '../test/support/media/rtp.js';
import { startStack } from '../test/support/stack.js';

const PORTS = {
  sip: 6060,
  evapi: 6448,
  rpc: 6071,
  ng: 6223,
  cli: 6224,
  rtpMin: 34000,
  rtpMax: 34999,
  dtmf: 6999,
  agent: { address: '127.0.0.5', port: 6080 },
  carrier: '127.0.0.6:6080',
} as const;

function stackEnv(extra: Record<string, string>): Record<string, string> {
  return {
    TONEWALL_SIP_PORT: String(PORTS.sip),
    TONEWALL_EVAPI_PORT: String(PORTS.evapi),
    TONEWALL_RPC_PORT: String(PORTS.rpc),
    TONEWALL_NG_PORT: String(PORTS.ng),
    TONEWALL_CLI_PORT: String(PORTS.cli),
    TONEWALL_RTP_PORT_MIN: String(PORTS.rtpMin),
    TONEWALL_RTP_PORT_MAX: String(PORTS.rtpMax),
    TONEWALL_DTMF_LOG_DEST: `127.0.0.1:${PORTS.dtmf}`,
    TONEWALL_PBX_SOURCE: PORTS.agent.address,
    TONEWALL_PBX_TARGET: `sip:${PORTS.agent.address}:${PORTS.agent.port}`,
    TONEWALL_CARRIER_TARGET: `sip:${PORTS.carrier}`,
    ...extra,
  };
}

interface Config {
  name: string;
  /** TONEWALL_BLOCK_DTMF_FLAGS, TONEWALL_RTPE_EXTRA_ARGS, TONEWALL_RTPE_OFFER_FLAGS, … */
  env: Record<string, string>;
}

const BLOCK = (flags: string) => ({ TONEWALL_BLOCK_DTMF_FLAGS: flags });

const CONFIGS: Config[] = [
  { name: 'default (silence db60 detect)', env: {} },
  { name: 'silence db80 detect', env: BLOCK('DTMF-security=silence delay-buffer=80 detect-DTMF') },
  { name: 'silence db100 detect', env: BLOCK('DTMF-security=silence delay-buffer=100 detect-DTMF') },
  { name: 'silence db120 detect', env: BLOCK('DTMF-security=silence delay-buffer=120 detect-DTMF') },
  { name: 'silence db150 detect', env: BLOCK('DTMF-security=silence delay-buffer=150 detect-DTMF') },
  { name: 'silence db200 detect', env: BLOCK('DTMF-security=silence delay-buffer=200 detect-DTMF') },
  { name: 'silence db300 detect', env: BLOCK('DTMF-security=silence delay-buffer=300 detect-DTMF') },
  { name: 'tone db60 detect', env: BLOCK('DTMF-security=tone delay-buffer=60 detect-DTMF') },
  { name: 'silence db60 (no detect)', env: BLOCK('DTMF-security=silence delay-buffer=60') },
  {
    name: 'default + DTMF-delay=60',
    env: BLOCK('DTMF-security=silence delay-buffer=60 DTMF-delay=60 detect-DTMF'),
  },
  {
    name: 'default + --dtmf-no-suppress',
    env: { TONEWALL_RTPE_EXTRA_ARGS: '--dtmf-no-suppress' },
  },
  {
    name: 'default + always-transcode',
    env: {
      TONEWALL_RTPE_OFFER_FLAGS:
        'replace-origin replace-session-connection ICE=remove RTP/AVP always-transcode',
      TONEWALL_RTPE_ANSWER_FLAGS:
        'replace-origin replace-session-connection ICE=remove RTP/AVP always-transcode',
    },
  },
  {
    name: 'default + jitter-buffer=60',
    env: { TONEWALL_RTPE_EXTRA_ARGS: '--jitter-buffer=60' },
  },
];

interface Case {
  name: string;
  telephoneEvent: boolean;
  pcap: DtmfPcap;
}

const KEYS = '1472583690*#';
const TIMING = { toneMs: 80, gapMs: 100, leadInMs: 500, tailMs: 500 };

function te(offsetMs: number, clock: EventClock, toneMs = TIMING.toneMs): Case {
  return {
    name: `TE ${clock} +${offsetMs} ms${toneMs === TIMING.toneMs ? '' : ` tone ${toneMs}`}`,
    telephoneEvent: true,
    pcap: rfc4733Pcap(KEYS, { ...TIMING, toneMs, eventOffsetMs: offsetMs, eventClock: clock }),
  };
}

/**
 * Diagnostic layouts on the frame grid (events start on a boundary, `TIMING`), to tell apart the
 * two things the `frame` layout does differently: `late-end` sends the end packets one frame after
 * the last update (same duration) and audio resumes with them (no gap in the RTP timeline);
 * `gap` sends the end packets on time but audio resumes one frame later (a 20 ms gap, no event).
 */
function gridVariant(kind: 'late-end' | 'gap'): Case {
  const sequence = rfc4733Pcap(KEYS, TIMING);
  const packets: { atMs: number; pt: number; ts: number; marker: boolean; payload: Buffer }[] = [];
  const frames = Math.ceil(sequence.durationMs / 20);
  const silent = Buffer.alloc(160, 0xff);
  for (let slot = 0; slot < frames; slot += 1) {
    const at = slot * 20;
    const inEvent = sequence.segments.some((s) => at >= s.startMs && at < s.endMs);
    const lateSlot = sequence.segments.some((s) => at === s.endMs);
    if (inEvent || (kind === 'gap' && lateSlot)) continue;
    packets.push({ atMs: at, pt: 0, ts: 160_000 + slot * 160, marker: slot === 0, payload: silent });
  }
  for (const segment of sequence.segments) {
    const length = segment.endMs - segment.startMs;
    const updates = length / 20;
    for (let i = 0; i < updates; i += 1) {
      const end = kind === 'gap' && i === updates - 1;
      for (let copy = 0; copy < (end ? 3 : 1); copy += 1) {
        packets.push({
          atMs: segment.startMs + i * 20,
          pt: 101,
          ts: 160_000 + segment.startMs * 8,
          marker: i === 0 && copy === 0,
          payload: buildTelephoneEvent({
            event: digitToEvent(segment.digit),
            end,
            volume: 10,
            duration: (i + 1) * 160,
          }),
        });
      }
    }
    if (kind === 'late-end') {
      for (let copy = 0; copy < 3; copy += 1) {
        packets.push({
          atMs: segment.endMs,
          pt: 101,
          ts: 160_000 + segment.startMs * 8,
          marker: false,
          payload: buildTelephoneEvent({
            event: digitToEvent(segment.digit),
            end: true,
            volume: 10,
            duration: length * 8,
          }),
        });
      }
    }
  }
  packets.sort((a, b) => a.atMs - b.atMs || b.pt - a.pt);
  const writer = new PcapWriter();
  packets.forEach((packet, index) => {
    writer.addUdp(Date.UTC(2024, 0, 1) * 1000 + packet.atMs * 1000, {
      src: { address: '127.0.0.1', port: 6000 },
      dst: { address: '127.0.0.1', port: 10000 },
      payload: buildRtpPacket({
        payloadType: packet.pt,
        marker: packet.marker,
        sequenceNumber: 1000 + index,
        timestamp: packet.ts,
        ssrc: 0x746f6e65,
        payload: packet.payload,
      }),
    });
  });
  return { name: `TE grid ${kind}`, telephoneEvent: true, pcap: { ...sequence, bytes: writer.toBuffer() } };
}

const CASES: Case[] = [
  te(0, 'timestamp'),
  gridVariant('late-end'),
  gridVariant('gap'),
  ...[5, 10, 15].flatMap((offset) =>
    (['frame', 'timestamp', 'wire'] as const).map((clock) => te(offset, clock)),
  ),
  te(0, 'timestamp', 90),
  {
    name: 'TE frame +10 ms tone 60 gap 60',
    telephoneEvent: true,
    pcap: rfc4733Pcap(KEYS, { ...TIMING, toneMs: 60, gapMs: 60, eventOffsetMs: 10, eventClock: 'frame' }),
  },
  {
    name: 'TE frame +10 ms tone 100 gap 400',
    telephoneEvent: true,
    pcap: rfc4733Pcap(KEYS, { ...TIMING, toneMs: 100, gapMs: 400, eventOffsetMs: 10, eventClock: 'frame' }),
  },
  {
    name: 'TE frame +10 ms tone 200 gap 800',
    telephoneEvent: true,
    pcap: rfc4733Pcap(KEYS, { ...TIMING, toneMs: 200, gapMs: 800, eventOffsetMs: 10, eventClock: 'frame' }),
  },
  { name: 'TE sip-tester', telephoneEvent: true, pcap: sipTesterPcap('1472583690*#', { gapMs: 100 }) },
  ...([-20, -43] as const).flatMap((levelDbfs) =>
    [false, true].map((telephoneEvent) => ({
      name: `in-band ${levelDbfs} dBFS ${telephoneEvent ? 'PCMU+TE' : 'PCMU'}`,
      telephoneEvent,
      pcap: inBandPcap(KEYS, { ...TIMING, levelDbfs }),
    })),
  ),
];

interface Report {
  callid: string;
  source_tag: string;
  event: number;
  /** Arrival, ms (monotonic). */
  atMs: number;
}

/** rtpengine's DTMF datagrams, kept in memory only. */
async function openReports() {
  const reports: Report[] = [];
  const socket = createSocket('udp4');
  socket.on('message', (message) => {
    try {
      const parsed = JSON.parse(message.toString('utf8')) as Partial<Report>;
      if (
        typeof parsed.callid === 'string' &&
        typeof parsed.source_tag === 'string' &&
        typeof parsed.event === 'number'
      ) {
        reports.push({
          callid: parsed.callid,
          source_tag: parsed.source_tag,
          event: parsed.event,
          atMs: performance.now(),
        });
      }
    } catch {
      // malformed: ignored
    }
  });
  await new Promise<void>((resolve) => socket.bind(PORTS.dtmf, '127.0.0.1', resolve));
  return { reports, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

const EVENT_KEYS = '0123456789*#ABCD';

async function main() {
  const { values } = parseArgs({
    options: { config: { type: 'string' }, case: { type: 'string' }, list: { type: 'boolean' } },
  });
  const pick = <T extends { name: string }>(all: T[], names: string | undefined) =>
    names ? all.filter((item) => names.split(',').some((name) => item.name.includes(name.trim()))) : all;
  const configs = pick(CONFIGS, values.config);
  const cases = pick(CASES, values.case);
  if (values.list) {
    console.log(
      `configs:\n  ${CONFIGS.map((c) => c.name).join('\n  ')}\ncases:\n  ${CASES.map((c) => c.name).join('\n  ')}`,
    );
    return;
  }
  const listener = await openReports();
  console.log(
    '| configuration | case | reports (raw) | keyed sequence reported | TE pkts at agent | tone ms at agent | digits detectable at agent | ms/digit | max DTMF dBFS |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  try {
    for (const config of configs) {
      const stack = await startStack({ runName: 'align', env: stackEnv(config.env), install: false });
      const harness = await CallHarness.create({
        name: 'align',
        proxy: `127.0.0.1:${PORTS.sip}`,
        agentSip: PORTS.agent,
      });
      try {
        for (const c of cases) {
          const call = await harness.placeCall({
            customer: { telephoneEvent: c.telephoneEvent, pcap: c.pcap },
          });
          await harness.finish(call);
          await new Promise((resolve) => setTimeout(resolve, 300));
          const sink = call.agent.sink;
          if (!sink) throw new Error('agent without a sink');
          const agent = agentAudioReport(sink, c.pcap);
          const mine = listener.reports.filter(
            (r) => r.callid === call.customer.sipCallId && r.source_tag === call.customer.fromTag,
          );
          // collapse a report repeated back to back (rtpengine's event + detector pair); the keys have no repeat
          const collapsed = mine
            .map((r) => EVENT_KEYS[r.event] ?? '?')
            .filter((key, i, all) => i === 0 || all[i - 1] !== key)
            .join('');
          const detectedAtAgent = agent.detected.length;
          // lag of a report repeating the previous one's key (rtpengine's duplicate)
          const lags = mine
            .slice(1)
            .map((r, i) => (r.event === mine[i]?.event ? r.atMs - (mine[i]?.atMs ?? 0) : null))
            .filter((lag): lag is number => lag !== null);
          const lagText = lags.length
            ? `${Math.min(...lags).toFixed(0)}–${Math.max(...lags).toFixed(0)}`
            : '–';
          console.log(
            `| ${config.name} | ${c.name} | ${mine.length} | ${collapsed === c.pcap.keys ? `yes (${c.pcap.keys.length}/${c.pcap.keys.length})` : `NO (${collapsed.length} distinct of ${c.pcap.keys.length})`} | ${agent.digitEvents} | ${agent.toneMs} | ${detectedAtAgent}/${c.pcap.keys.length} | ${(agent.toneMs / c.pcap.keys.length).toFixed(1)} | ${agent.maxDtmfLevelDbfs.toFixed(1)} | ${lagText} |`,
          );
        }
      } finally {
        await harness.cleanup();
        await stack.stop();
      }
    }
  } finally {
    await listener.close();
  }
}

await main();

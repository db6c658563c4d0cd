/**
 * Where the added delay customer → agent is taken, hop by hop (docs/media.md, "Why the delay grows
 * after keys"). Starts a Kamailio and the three rtpengines of its own (masking-check's ports), places
 * one call per layout of the masking matrix: the customer keys a payment and a retry (43 keys) in that
 * layout, then plays 3 bursts of 1 kHz (the bench's customer, scripts/bench/customer-mix.ts, with 2
 * bursts before the keys). tcpdump on loopback records every hop; each burst's onset is printed on
 * each leg relative to its onset at the customer → edge leg, with the sequence-number gaps per leg.
 *
 *   npx tsx scripts/delay-per-hop.ts [--layouts TEXT,…] [--env TONEWALL_NAME=VALUE …]
 *
 * --layouts  the matrix layouts whose names contain one of these texts (default: "audio paused")
 * --env      a TONEWALL_* setting for the stack (e.g. TONEWALL_MASK_RTPE_ARGS=--dtx-delay=0)
 * Exit: 0 measured, 2 usage. Measures only; passes or fails nothing.
 */
import { parseArgs } from 'node:util';
import { captureLoopback, onsets } from '../test/support/audio-delay.js';
import { CallHarness } from '../test/support/call-harness.js';
import { MATRIX, PAYMENT_KEYS } from '../test/support/masking-matrix.js';
import { type PcapUdpDatagram, readPcap } from '../test/support/media/pcap-reader.js';
import { parseRtpPacket } from '../test/support/media/rtp.js';
import { ownStackEnv, startStack } from '../test/support/stack.js';
import { customerStream, streamPcap } from './bench/customer-mix.js';
import { envPairs, OWN_PORTS, UsageError } from './masking-check/stack-target.js';

const USAGE =
  'usage: npx tsx scripts/delay-per-hop.ts [--layouts TEXT,…] [--env TONEWALL_NAME=VALUE …]\n' +
  'exit status: 0 measured, 2 usage';

/** The datagrams that are RTP (rtpengine also sends RTCP on the neighbouring port). */
function rtpOnly(datagrams: readonly PcapUdpDatagram[]): PcapUdpDatagram[] {
  return datagrams.filter((d) => {
    try {
      parseRtpPacket(d.payload);
      return true;
    } catch {
      return false;
    }
  });
}

/** The legs of a call's customer → agent media, by the port ranges of the three hops. */
function legs(udp: readonly PcapUdpDatagram[]): Record<string, PcapUdpDatagram[]> {
  const { rtpMin: min, rtpMax: max, agent } = OWN_PORTS;
  const third = Math.floor((max - min + 1) / 3);
  const hop = (port: number) =>
    port < min || port > max ? 'x' : port < min + third ? 'edge' : port < min + 2 * third ? 'mask' : 'mute';
  return {
    'customer → edge': udp.filter(
      (d) => hop(d.dstPort) === 'edge' && hop(d.srcPort) === 'x' && d.dstAddress !== agent.address,
    ),
    'edge → mask': udp.filter((d) => hop(d.srcPort) === 'edge' && hop(d.dstPort) === 'mask'),
    'mask → mute': udp.filter((d) => hop(d.srcPort) === 'mask' && hop(d.dstPort) === 'mute'),
    'mute → agent': udp.filter((d) => hop(d.srcPort) === 'mute' && d.dstAddress === agent.address),
  };
}

/** Sequence numbers skipped on a leg (packets in capture order). */
function seqGaps(datagrams: readonly PcapUdpDatagram[]): number {
  let gaps = 0;
  let previous: number | undefined;
  for (const d of datagrams) {
    const seq = parseRtpPacket(d.payload).sequenceNumber;
    if (previous !== undefined && ((seq - previous) & 0xffff) !== 1) gaps += 1;
    previous = seq;
  }
  return gaps;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      layouts: { type: 'string', default: 'audio paused' },
      env: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const extra = envPairs(values.env ?? []);
  const wanted = (values.layouts ?? '').split(',').map((text) => text.trim());
  const specs = MATRIX.filter((layout) => wanted.some((text) => layout.name.includes(text)));
  if (specs.length === 0) throw new UsageError('no layout matches --layouts');
  const stack = await startStack({
    runName: 'delay-per-hop',
    env: ownStackEnv(OWN_PORTS, extra),
    install: false,
  });
  const harness = await CallHarness.create({
    name: 'delay-per-hop',
    proxy: `127.0.0.1:${OWN_PORTS.sip}`,
    agentSip: OWN_PORTS.agent,
  });
  try {
    for (const spec of specs) {
      const stream = customerStream(PAYMENT_KEYS, spec, 3000, 14_000);
      const capture = await captureLoopback([OWN_PORTS.rtpMin, OWN_PORTS.rtpMax]);
      const pcap = { bytes: streamPcap(stream), keys: '', segments: [], durationMs: stream.durationMs };
      const call = await harness.placeCall({ customer: { telephoneEvent: spec.offerTelephoneEvent, pcap } });
      await harness.finish(call);
      const byLeg = legs(rtpOnly(readPcap(await capture.stop()).udp));
      const found = Object.fromEntries(
        Object.entries(byLeg).map(([leg, datagrams]) => [leg, onsets(datagrams)]),
      );
      console.log(`\n${spec.name}`);
      for (const [leg, datagrams] of Object.entries(byLeg))
        console.log(`  ${leg}: ${datagrams.length} packets, ${seqGaps(datagrams)} sequence gaps`);
      for (const [i, at] of (found['customer → edge'] ?? []).entries()) {
        const cells = Object.entries(found).map(([leg, times]) => {
          const next = times.find((t) => t >= at - 1000 && t - at < 500_000);
          return `${leg.split(' → ')[1]} ${next === undefined ? '–' : ((next - at) / 1000).toFixed(1)}`;
        });
        console.log(
          `  burst ${i + 1} (${i < 2 ? 'before the keys' : 'after them'}): ms at ${cells.slice(1).join(', ')}`,
        );
      }
    }
  } finally {
    await harness.cleanup();
    await stack.stop();
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`delay-per-hop: ${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}

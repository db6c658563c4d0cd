/**
 * One-way audio delay through the stack, customer → agent, measured on the wire: tcpdump captures
 * loopback while the customer plays bursts of a 1 kHz tone between silences; the delay of each burst
 * is the onset of its first loud sample at the agent's sink minus its onset in the customer's packet
 * to the edge rtpengine, both read from one capture (one clock). What rtpengine adds (delay buffer,
 * playout, processing) is all of it: on loopback the wire adds microseconds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DtmfPcap } from './dtmf-pcap.js';
import { decodePcmu } from './media/g711.js';
import { type PcapUdpDatagram, readPcap } from './media/pcap-reader.js';
import { PcapWriter } from './media/pcap-writer.js';
import { PAYLOAD_TYPE_PCMU, parseRtpPacket } from './media/rtp.js';
import { buildPcmuRtpStream } from './media/rtp-stream.js';
import { concatPcm, dbfsToAmplitude, silence, sines } from './media/signal.js';

const BURST_MS = 200;
const QUIET_MS = 800;
const BURSTS = 5;
/** A sample louder than this starts a burst (the bursts are at −10 dBFS, silence is 0). */
const ONSET_AMPLITUDE = dbfsToAmplitude(-30);

/** The customer's side of a delay call: 5 bursts of 1 kHz, 200 ms, 800 ms apart. */
export function delayProbePcap(): DtmfPcap {
  const parts = [silence(1000)];
  for (let i = 0; i < BURSTS; i += 1) {
    parts.push(sines({ frequenciesHz: [1000], levelDbfs: -10, durationMs: BURST_MS }), silence(QUIET_MS));
  }
  const pcm = concatPcm(parts);
  const packets = buildPcmuRtpStream(pcm);
  const writer = new PcapWriter();
  for (const p of packets) {
    writer.addUdp(Date.UTC(2024, 0, 1) * 1000 + Math.round(p.offsetMs * 1000), {
      src: { address: '127.0.0.1', port: 6000 },
      dst: { address: '127.0.0.1', port: 10000 },
      payload: p.bytes,
    });
  }
  return { bytes: writer.toBuffer(), keys: '', segments: [], durationMs: pcm.length / 8 };
}

/** An RTP packet, or undefined for anything else on the ports (RTCP, a transcoding hop's other traffic). */
function rtpOrUndefined(bytes: Buffer): ReturnType<typeof parseRtpPacket> | undefined {
  try {
    return parseRtpPacket(bytes);
  } catch {
    return undefined;
  }
}

/** Onsets (µs, capture clock) of loud sample runs after at least 100 ms of quiet, in a PCMU packet stream. */
export function onsets(datagrams: readonly PcapUdpDatagram[]): number[] {
  const found: number[] = [];
  let quietSinceUs = Number.NEGATIVE_INFINITY;
  let loud = false;
  for (const d of datagrams) {
    const packet = rtpOrUndefined(d.payload);
    if (packet?.payloadType !== PAYLOAD_TYPE_PCMU) continue;
    const pcm = decodePcmu(packet.payload);
    for (let i = 0; i < pcm.length; i += 1) {
      const atUs = d.timeUs + (i * 1000) / 8;
      if (Math.abs(pcm[i] ?? 0) >= ONSET_AMPLITUDE) {
        if (!loud && atUs - quietSinceUs >= 100_000) found.push(atUs);
        loud = true;
      } else if (loud) {
        loud = false;
        quietSinceUs = atUs;
      }
    }
    if (!loud && quietSinceUs === Number.NEGATIVE_INFINITY) quietSinceUs = d.timeUs;
  }
  return found;
}

export interface DelayMeasure {
  /** Per burst, agent onset − customer onset, ms. */
  readonly delaysMs: readonly number[];
  readonly medianMs: number;
}

/**
 * Reads a capture: customer → edge packets are those sent to `customerTo` (the edge's address) from
 * a port outside `rtpengineRange`; agent packets those sent to `agentAddress`.
 */
export function delayFromCapture(
  capture: Buffer,
  options: { rtpengineRange: readonly [number, number]; agentAddress: string },
): DelayMeasure {
  const udp = readPcap(capture).udp;
  const [min, max] = options.rtpengineRange;
  const inRange = (port: number) => port >= min && port <= max;
  const customer = udp.filter(
    (d) => inRange(d.dstPort) && !inRange(d.srcPort) && d.dstAddress !== options.agentAddress,
  );
  const agent = udp.filter((d) => d.dstAddress === options.agentAddress && inRange(d.srcPort));
  const sent = onsets(customer);
  const received = onsets(agent);
  const delaysMs = sent.flatMap((at) => {
    const next = received.find((r) => r >= at && r - at < 500_000);
    return next === undefined ? [] : [(next - at) / 1000];
  });
  const sorted = [...delaysMs].sort((a, b) => a - b);
  return { delaysMs, medianMs: sorted.length ? (sorted[Math.floor(sorted.length / 2)] ?? NaN) : NaN };
}

/** tcpdump on loopback for UDP ports `range` (the rtpengines') into a temp file; `stop()` returns the bytes. */
export async function captureLoopback(range: readonly [number, number]) {
  const dir = mkdtempSync(join(tmpdir(), 'tonewall-capture-'));
  const file = join(dir, 'capture.pcap');
  const child: ChildProcess = spawn(
    'tcpdump',
    ['-i', 'lo', '-U', '-n', '-s', '0', '-w', file, `udp portrange ${range[0]}-${range[1]}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // tcpdump says "listening on lo" once the capture runs
  const started = Date.now();
  while (!stderr.includes('listening on') && Date.now() - started < 5000) {
    if (child.exitCode !== null) throw new Error(`tcpdump exited: ${stderr.trim()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!stderr.includes('listening on')) throw new Error(`tcpdump did not start: ${stderr.trim()}`);
  return {
    async stop(): Promise<Buffer> {
      child.kill('SIGINT');
      if (child.exitCode === null) await once(child, 'exit');
      try {
        return readFileSync(file);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

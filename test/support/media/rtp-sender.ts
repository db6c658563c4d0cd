/**
 * Sends a timed RTP stream over UDP on loopback, paced by each packet's offset (20 ms
 * apart for a PCMU stream), without drift: every send is scheduled from the start time.
 */
import { createSocket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertLoopback } from './loopback.js';
import { buildPcmuRtpStream, type RtpStreamOptions, type TimedRtpPacket } from './rtp-stream.js';

export interface RtpSendOptions {
  to: { address: string; port: number };
  /** Local loopback address to send from (default 127.0.0.1, any port). */
  fromAddress?: string;
  fromPort?: number;
  signal?: AbortSignal;
}

export interface RtpSendResult {
  sent: number;
  /** Worst lateness of a send against its schedule, ms. */
  maxLateMs: number;
}

/** Sends `packets` at their `offsetMs`; resolves when the last one is sent. */
export async function sendRtpPackets(
  packets: readonly TimedRtpPacket[],
  options: RtpSendOptions,
): Promise<RtpSendResult> {
  const { to, fromAddress = '127.0.0.1', fromPort = 0, signal } = options;
  assertLoopback(to.address);
  assertLoopback(fromAddress);
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(fromPort, fromAddress, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const start = performance.now();
    let maxLateMs = 0;
    let sent = 0;
    for (const packet of packets) {
      signal?.throwIfAborted();
      const wait = start + packet.offsetMs - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal });
      maxLateMs = Math.max(maxLateMs, performance.now() - start - packet.offsetMs);
      await new Promise<void>((resolve, reject) =>
        socket.send(packet.bytes, to.port, to.address, (error) => (error ? reject(error) : resolve())),
      );
      sent += 1;
    }
    return { sent, maxLateMs };
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

/** Packetises `pcm` as PCMU (20 ms frames by default) and sends it paced in real time. */
export function sendPcmu(
  pcm: Int16Array,
  options: RtpSendOptions & Omit<RtpStreamOptions, 'events'>,
): Promise<RtpSendResult> {
  return sendRtpPackets(buildPcmuRtpStream(pcm, options), options);
}

/**
 * A UDP RTP receiver on loopback that records every datagram with its arrival time, and
 * hands the recording to the analysis helpers (PCMU audio, RFC 4733 events, DTMF).
 */
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { DtmfAnalysis, DtmfDetectorOptions } from './dtmf-detector.js';
import { assertLoopback } from './loopback.js';
import { parseRtpPacket } from './rtp.js';
import {
  analyseRtpDtmf,
  decodePcmuRecords,
  type PcmuDecodeOptions,
  type ReceivedTelephoneEvent,
  type RtpRecord,
  splitByPayloadType,
  telephoneEventsOf,
} from './rtp-analysis.js';

export interface ReceivedDatagram {
  /** Arrival time, ms since the sink opened (monotonic). */
  arrivalMs: number;
  from: { address: string; port: number };
  bytes: Buffer;
}

export interface RtpSinkOptions {
  /** Loopback address to bind (default 127.0.0.1). */
  address?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** Monotonic clock in ms (default performance.now). */
  now?: () => number;
}

export class RtpSink {
  readonly #socket: Socket;
  readonly #now: () => number;
  readonly #openedAt: number;
  readonly #datagrams: ReceivedDatagram[] = [];
  readonly #records: RtpRecord[] = [];
  readonly #waiters = new Set<() => void>();
  #malformed = 0;

  private constructor(socket: Socket, now: () => number) {
    this.#socket = socket;
    this.#now = now;
    this.#openedAt = now();
    socket.on('message', (bytes, rinfo) => this.#record(bytes, rinfo.address, rinfo.port));
  }

  /** Binds a sink; rejects for a non-loopback address or a port in use. */
  static async open(options: RtpSinkOptions = {}): Promise<RtpSink> {
    const { address = '127.0.0.1', port = 0, now = () => performance.now() } = options;
    assertLoopback(address);
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new RtpSink(socket, now);
  }

  get address(): { address: string; port: number } {
    const { address, port } = this.#socket.address();
    return { address, port };
  }

  /** Every datagram received, RTP or not. */
  get datagrams(): readonly ReceivedDatagram[] {
    return this.#datagrams;
  }

  /** The datagrams that parsed as RTP. */
  get records(): readonly RtpRecord[] {
    return this.#records;
  }

  /** Datagrams that were not valid RTP. */
  get malformedCount(): number {
    return this.#malformed;
  }

  #record(bytes: Buffer, address: string, port: number): void {
    const arrivalMs = this.#now() - this.#openedAt;
    this.#datagrams.push({ arrivalMs, from: { address, port }, bytes });
    try {
      this.#records.push({ arrivalMs, packet: parseRtpPacket(bytes) });
    } catch {
      this.#malformed += 1;
    }
    for (const wake of this.#waiters) wake();
  }

  /** Resolves once `count` RTP packets have arrived; rejects after `timeoutMs`. */
  waitForPackets(count: number, timeoutMs = 5000): Promise<void> {
    return this.#waitUntil(() => this.#records.length >= count, timeoutMs, `${count} RTP packets`);
  }

  /**
   * Resolves once at least one packet has arrived and then none for `quietMs`
   * (the stream has stopped); rejects after `timeoutMs`.
   */
  async waitForQuiet(quietMs = 200, timeoutMs = 10_000): Promise<void> {
    const deadline = this.#now() + timeoutMs;
    await this.waitForPackets(1, timeoutMs);
    for (;;) {
      const last = this.#datagrams.at(-1)?.arrivalMs ?? 0;
      const idle = this.#now() - this.#openedAt - last;
      if (idle >= quietMs) return;
      if (this.#now() >= deadline) throw new Error(`RTP sink: stream still running after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, quietMs - idle)));
    }
  }

  #waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(`RTP sink: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.#waiters.add(wake);
    });
  }

  byPayloadType(): Map<number, RtpRecord[]> {
    return splitByPayloadType(this.#records);
  }

  /** PCMU audio in sequence order, lost packets and event periods as silence. */
  decodePcmu(options: PcmuDecodeOptions = {}): Int16Array {
    return decodePcmuRecords(this.#records, options);
  }

  /** RFC 4733 events received with `payloadType` (default 101). */
  telephoneEvents(payloadType?: number): ReceivedTelephoneEvent[] {
    return telephoneEventsOf(this.#records, payloadType);
  }

  /** DTMF detected in the PCMU audio: digits, ms of detectable tone, per-frequency levels. */
  analyseDtmf(options: PcmuDecodeOptions & DtmfDetectorOptions = {}): DtmfAnalysis {
    return analyseRtpDtmf(this.#records, options);
  }

  /** Forgets everything received so far. */
  clear(): void {
    this.#datagrams.length = 0;
    this.#records.length = 0;
    this.#malformed = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}

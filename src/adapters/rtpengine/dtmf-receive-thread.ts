import { Worker } from 'node:worker_threads';
import { GatewayError } from '../../errors.js';

/** One datagram as the receive thread read it. */
export interface ReceivedDatagram {
  readonly bytes: Buffer;
  readonly sourceAddress: string;
  /** Wall-clock milliseconds (sub-ms precision) when the receive thread read the datagram. */
  readonly receivedAt: number;
}

export interface DtmfReceiveThreadOptions {
  readonly host: string;
  readonly port: number;
  /** SO_RCVBUF asked for (Linux caps it at net.core.rmem_max). */
  readonly receiveBufferBytes: number;
  readonly onDatagram: (datagram: ReceivedDatagram) => void;
  /** Addresses whose datagrams are passed on (an IPv4-mapped `::ffff:` form matches its IPv4 one). */
  readonly allowedSources: readonly string[];
  /** Larger datagrams are refused. */
  readonly maxBytes: number;
  readonly onRefused: (refused: RefusedDatagram) => void;
  /** The thread or its socket failed after start: no more datagrams will come. */
  readonly onFailure: (error: GatewayError) => void;
}

/**
 * The thread's whole program (plain JavaScript: a worker is not compiled with the gateway's
 * TypeScript, and vitest does not transform workers). It binds the socket, stamps each datagram with
 * the time it read it and passes it on; nothing else runs on its event loop, so the stamp stays
 * within a few milliseconds of the datagram's arrival even while the main thread is busy. A datagram
 * from outside the allow-list or over the size limit goes on as a notice without its bytes; past
 * `maxInFlight` messages the main thread has not taken yet, datagrams are dropped and counted
 * (`counters[OVERFLOW]`), so a flood cannot grow the main thread's queue without bound. Its copy of
 * each datagram is zeroed once posted.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createSocket } = require('node:dgram');
const { allowed, maxBytes, maxInFlight, counters } = workerData;
// ::ffff:127.0.0.1 and 127.0.0.1 are the same sender
const plain = (address) => (address.startsWith('::ffff:') ? address.slice(7) : address);
const allowedSet = new Set(allowed.map(plain));
const socket = createSocket(workerData.host.includes(':') ? 'udp6' : 'udp4');
socket.once('error', (error) => parentPort.postMessage({ type: 'failed', message: error.message, code: error.code }));
socket.bind(workerData.port, workerData.host, () => {
  socket.setRecvBufferSize(workerData.receiveBufferBytes);
  socket.on('message', (bytes, remote) => {
    const receivedAt = performance.timeOrigin + performance.now();
    if (Atomics.load(counters, 0) >= maxInFlight) {
      Atomics.add(counters, 1, 1);
    } else {
      Atomics.add(counters, 0, 1);
      if (!allowedSet.has(plain(remote.address))) {
        parentPort.postMessage({ type: 'refused', reason: 'source', address: remote.address, length: bytes.length });
      } else if (bytes.length > maxBytes) {
        parentPort.postMessage({ type: 'refused', reason: 'size', address: remote.address, length: bytes.length });
      } else {
        parentPort.postMessage({ type: 'datagram', bytes, address: remote.address, receivedAt });
      }
    }
    bytes.fill(0);
  });
  parentPort.postMessage({ type: 'bound', port: socket.address().port, receiveBufferBytes: socket.getRecvBufferSize() });
});
parentPort.on('message', (message) => {
  if (message === 'close') socket.close(() => parentPort.close());
});
`;

/** Slots of the counters shared with the thread. */
const IN_FLIGHT = 0;
const OVERFLOW = 1;

/** Messages the main thread may have outstanding before the thread drops datagrams. */
export const DTMF_MAX_IN_FLIGHT = 4_096;

/** A datagram the thread did not pass on, and why (never its content). */
export interface RefusedDatagram {
  readonly reason: 'source' | 'size';
  readonly sourceAddress: string;
  readonly length: number;
}

type ThreadMessage =
  | { type: 'bound'; port: number; receiveBufferBytes: number }
  | { type: 'refused'; reason: 'source' | 'size'; address: string; length: number }
  | { type: 'datagram'; bytes: Uint8Array; address: string; receivedAt: number }
  | { type: 'failed'; message: string; code?: string };

/**
 * rtpengine's DTMF reports read on a thread of their own. The main thread's event loop pauses (a
 * burst of key presses to process, garbage collection, a TLS handshake); datagrams read there carry
 * the pause in their read time, and the duplicate filter, which tells a repeated key from rtpengine's
 * second report by timing, then misjudges them (measured: reads up to 117 ms late at 150 paying
 * calls, and a genuine repeat such as the `22` of `1229` dropped). Stamped here, the timing is the
 * arrival's.
 */
export class DtmfReceiveThread {
  readonly #options: DtmfReceiveThreadOptions;
  #worker: Worker | undefined;
  #state: 'idle' | 'starting' | 'running' | 'failed' | 'closed' = 'idle';
  #receiveBufferBytes: number | undefined;
  readonly #counters = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  /** Rejects the pending start (close() during start-up). */
  #abortStart: ((error: GatewayError) => void) | undefined;

  constructor(options: DtmfReceiveThreadOptions) {
    this.#options = options;
  }

  /** The receive buffer the kernel granted (Linux reports twice the size asked, capped by rmem_max). */
  get receiveBufferBytes(): number | undefined {
    return this.#receiveBufferBytes;
  }

  /** Datagrams dropped because the main thread had DTMF_MAX_IN_FLIGHT messages outstanding. */
  get overflow(): number {
    return Atomics.load(this.#counters, OVERFLOW);
  }

  /** True while the thread is reading. */
  get running(): boolean {
    return this.#state === 'running';
  }

  /** Starts the thread and binds; resolves with the port bound, rejects with GW_ERR_DTMF_SOCKET. */
  start(): Promise<number> {
    if (this.#state !== 'idle') return Promise.reject(new Error('DtmfReceiveThread starts once'));
    const { host, port, receiveBufferBytes, maxBytes } = this.#options;
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        host,
        port,
        receiveBufferBytes,
        allowed: this.#options.allowedSources,
        maxBytes,
        maxInFlight: DTMF_MAX_IN_FLIGHT,
        counters: this.#counters,
      },
      name: 'dtmf-receive',
    });
    this.#worker = worker;
    this.#state = 'starting';
    return new Promise<number>((resolve, reject) => {
      this.#abortStart = reject;
      const fail = (message: string, cause?: unknown) => {
        const error = new GatewayError('GW_ERR_DTMF_SOCKET', message, { cause });
        const state = this.#state;
        if (state === 'closed' || state === 'failed') return;
        this.#state = 'failed';
        void worker.terminate();
        if (state === 'starting') reject(error);
        else this.#options.onFailure(error);
      };
      worker.on('message', (message: ThreadMessage) => {
        if (message.type === 'datagram' || message.type === 'refused') {
          Atomics.sub(this.#counters, IN_FLIGHT, 1);
          if (this.#state !== 'running') return;
          if (message.type === 'refused') {
            this.#options.onRefused({
              reason: message.reason,
              sourceAddress: message.address,
              length: message.length,
            });
            return;
          }
          const bytes = Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength);
          this.#options.onDatagram({ bytes, sourceAddress: message.address, receivedAt: message.receivedAt });
          bytes.fill(0);
        } else if (message.type === 'bound') {
          if (this.#state !== 'starting') return;
          this.#state = 'running';
          this.#abortStart = undefined;
          this.#receiveBufferBytes = message.receiveBufferBytes;
          resolve(message.port);
        } else {
          fail(`DTMF socket failed (${message.code ?? 'unknown'})`);
        }
      });
      worker.on('error', (error) => fail('DTMF receive thread failed', error));
      worker.on('exit', (code) => {
        this.#worker = undefined;
        fail(`DTMF receive thread exited (${code})`);
      });
    });
  }

  /** Closes the socket and ends the thread. */
  async close(): Promise<void> {
    const worker = this.#worker;
    const wasRunning = this.#state === 'running';
    this.#state = 'closed';
    if (worker === undefined) return;
    if (!wasRunning) {
      this.#abortStart?.(new GatewayError('GW_ERR_DTMF_SOCKET', 'DTMF receive thread closed while starting'));
      this.#abortStart = undefined;
      await worker.terminate();
      return;
    }
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    const timer = setTimeout(() => void worker.terminate(), 1_000);
    await exited;
    clearTimeout(timer);
  }
}

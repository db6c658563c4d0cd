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
  /** The thread or its socket failed after start: no more datagrams will come. */
  readonly onFailure: (error: GatewayError) => void;
}

/**
 * The thread's whole program (plain JavaScript: a worker is not compiled with the gateway's
 * TypeScript, and vitest does not transform workers). It binds the socket, stamps each datagram with
 * the time it read it and passes it on; nothing else runs on its event loop, so the stamp stays
 * within a few milliseconds of the datagram's arrival even while the main thread is busy.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createSocket } = require('node:dgram');
const socket = createSocket(workerData.host.includes(':') ? 'udp6' : 'udp4');
socket.once('error', (error) => parentPort.postMessage({ type: 'failed', message: error.message, code: error.code }));
socket.bind(workerData.port, workerData.host, () => {
  socket.setRecvBufferSize(workerData.receiveBufferBytes);
  socket.on('message', (bytes, remote) => {
    const receivedAt = performance.timeOrigin + performance.now();
    parentPort.postMessage({ type: 'datagram', bytes, address: remote.address, receivedAt });
  });
  parentPort.postMessage({ type: 'bound', port: socket.address().port, receiveBufferBytes: socket.getRecvBufferSize() });
});
parentPort.on('message', (message) => {
  if (message === 'close') socket.close(() => parentPort.close());
});
`;

type ThreadMessage =
  | { type: 'bound'; port: number; receiveBufferBytes: number }
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

  constructor(options: DtmfReceiveThreadOptions) {
    this.#options = options;
  }

  /** The receive buffer the kernel granted (Linux reports twice the size asked, capped by rmem_max). */
  get receiveBufferBytes(): number | undefined {
    return this.#receiveBufferBytes;
  }

  /** True while the thread is reading. */
  get running(): boolean {
    return this.#state === 'running';
  }

  /** Starts the thread and binds; resolves with the port bound, rejects with GW_ERR_DTMF_SOCKET. */
  start(): Promise<number> {
    if (this.#state !== 'idle') return Promise.reject(new Error('DtmfReceiveThread starts once'));
    const { host, port, receiveBufferBytes } = this.#options;
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { host, port, receiveBufferBytes },
      name: 'dtmf-receive',
    });
    this.#worker = worker;
    this.#state = 'starting';
    return new Promise<number>((resolve, reject) => {
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
        if (message.type === 'datagram') {
          if (this.#state !== 'running') return;
          this.#options.onDatagram({
            bytes: Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength),
            sourceAddress: message.address,
            receivedAt: message.receivedAt,
          });
        } else if (message.type === 'bound') {
          this.#state = 'running';
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

import type { Worker } from 'node:worker_threads';
import { type ErrorCode, GatewayError } from '../../errors.js';
import { siblingModuleUrl, startModuleWorker } from '../module-worker.js';
import type { DtmfReportKind } from './dtmf-duplicate-filter.js';
import type { DtmfEvent } from './dtmf-event.js';
import {
  COUNTER_SLOTS,
  type DtmfThreadMessage,
  type DtmfThreadSettings,
  DUPLICATES,
  IN_FLIGHT,
  OVERFLOW,
} from './dtmf-thread-protocol.js';

/** One key press as the receive thread accepted it. */
export interface ReceivedKey {
  readonly event: DtmfEvent;
  /** Which hop reported it: the edge (RFC 4733 events) or the mask hop (in-band tones). */
  readonly kind: DtmfReportKind;
  /** Wall-clock milliseconds (sub-ms precision) when the receive thread read the datagram. */
  readonly receivedAt: number;
}

/** A datagram the thread did not pass on, and why (never its content). */
export interface RefusedDatagram {
  readonly reason: 'source' | 'size';
  readonly sourceAddress: string;
  readonly length: number;
}

/** A datagram that is not a DTMF report: the code and a reason that names fields, never content. */
export interface MalformedDatagram {
  readonly code: ErrorCode;
  readonly reason: string;
  readonly length: number;
}

export interface DtmfReceiveThreadOptions {
  readonly host: string;
  /** The edge rtpengine's reports (RFC 4733 events). */
  readonly port: number;
  /** The mask rtpengine's reports (in-band tones). */
  readonly tonesPort: number;
  /** SO_RCVBUF asked for (Linux caps it at net.core.rmem_max). */
  readonly receiveBufferBytes: number;
  /** Addresses whose datagrams are read (an IPv4-mapped `::ffff:` form matches its IPv4 one). */
  readonly allowedSources: readonly string[];
  /** Larger datagrams are refused. */
  readonly maxBytes: number;
  readonly onKey: (key: ReceivedKey) => void;
  readonly onRefused: (refused: RefusedDatagram) => void;
  readonly onMalformed: (malformed: MalformedDatagram) => void;
  /** A hop's report dropped as the other hop's twin of a key press accepted before (dtmf-duplicate-filter.ts). */
  readonly onTwin: (twin: { readonly sipCallId: string; readonly kind: DtmfReportKind }) => void;
  /** The thread or its socket failed after start: no more key presses will come. */
  readonly onFailure: (error: GatewayError) => void;
}

/** The thread's young generation, MiB (Node's default lets it grow to ~48 under a burst). */
const YOUNG_GENERATION_MB = 4;

/** Messages the main thread may have outstanding before the thread drops datagrams. */
export const DTMF_MAX_IN_FLIGHT = 4_096;

/**
 * Both rtpengines' DTMF reports read, validated and de-duplicated on a thread of their own
 * (dtmf-receive-worker.ts). The main thread's event loop pauses (a burst of key presses to process,
 * garbage collection, a TLS handshake); datagrams read there carry the pause in their read time (up
 * to 117 ms late at 150 paying calls, measured), which would stretch the window in which the
 * duplicate filter pairs one hop's report with the other's. On the thread the timing is the
 * arrival's, and the main thread gets one message per key press.
 */
export class DtmfReceiveThread {
  readonly #options: DtmfReceiveThreadOptions;
  #worker: Worker | undefined;
  #state: 'idle' | 'starting' | 'running' | 'failed' | 'closed' = 'idle';
  #receiveBufferBytes: number | undefined;
  #tonesPort: number | undefined;
  readonly #counters = new Int32Array(new SharedArrayBuffer(COUNTER_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  /** Rejects the pending start (close() during start-up). */
  #abortStart: ((error: GatewayError) => void) | undefined;

  constructor(options: DtmfReceiveThreadOptions) {
    this.#options = options;
  }

  /** The receive buffer the kernel granted (Linux reports twice the size asked, capped by rmem_max). */
  get receiveBufferBytes(): number | undefined {
    return this.#receiveBufferBytes;
  }

  /** The port bound for the mask rtpengine's (in-band) reports, once started. */
  get tonesPort(): number | undefined {
    return this.#tonesPort;
  }

  /** Datagrams dropped because the main thread had DTMF_MAX_IN_FLIGHT messages outstanding. */
  get overflow(): number {
    return Atomics.load(this.#counters, OVERFLOW);
  }

  /** The other hop's reports of key presses a phone sent both ways, dropped by the thread. */
  get duplicates(): number {
    return Atomics.load(this.#counters, DUPLICATES);
  }

  /** True while the thread is reading. */
  get running(): boolean {
    return this.#state === 'running';
  }

  /** Starts the thread and binds both ports; resolves with the (RFC 4733) port bound, rejects with GW_ERR_DTMF_SOCKET. */
  start(): Promise<number> {
    if (this.#state !== 'idle') return Promise.reject(new Error('DtmfReceiveThread starts once'));
    const { host, port, tonesPort, receiveBufferBytes, maxBytes } = this.#options;
    const settings: DtmfThreadSettings = {
      host,
      port,
      tonesPort,
      receiveBufferBytes,
      allowedSources: this.#options.allowedSources,
      maxBytes,
      maxInFlight: DTMF_MAX_IN_FLIGHT,
      counters: this.#counters,
    };
    const worker = startModuleWorker(siblingModuleUrl(import.meta.url, 'dtmf-receive-worker'), {
      workerData: settings,
      name: 'dtmf-receive',
      // its garbage is per datagram and short-lived: a small young generation keeps its RSS small
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
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
      worker.on('message', (message: DtmfThreadMessage) => {
        if (message.type === 'bound') {
          if (this.#state !== 'starting') return;
          this.#state = 'running';
          this.#abortStart = undefined;
          this.#receiveBufferBytes = message.receiveBufferBytes;
          this.#tonesPort = message.tonesPort;
          resolve(message.port);
          return;
        }
        if (message.type === 'failed') {
          fail(`DTMF socket failed (${message.code ?? 'unknown'})`);
          return;
        }
        Atomics.sub(this.#counters, IN_FLIGHT, 1);
        if (this.#state !== 'running') return;
        if (message.type === 'key') {
          this.#options.onKey({ event: message.event, kind: message.kind, receivedAt: message.receivedAt });
        } else if (message.type === 'twin') {
          this.#options.onTwin({ sipCallId: message.sipCallId, kind: message.kind });
        } else if (message.type === 'refused') {
          this.#options.onRefused({
            reason: message.reason,
            sourceAddress: message.address,
            length: message.length,
          });
        } else {
          this.#options.onMalformed({ code: message.code, reason: message.reason, length: message.length });
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

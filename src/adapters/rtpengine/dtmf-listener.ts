import { createSocket, type Socket } from 'node:dgram';
import { isGatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { DtmfDuplicateFilter } from './dtmf-duplicate-filter.js';
import { type DtmfEvent, parseDtmfDatagram } from './dtmf-event.js';

export interface DtmfListenerOptions {
  host: string;
  port: number;
  /** Source addresses whose datagrams are read; everything else is dropped and counted. */
  allowedSources: readonly string[];
  logger: Logger;
  onEvent: (event: DtmfEvent) => void;
  /** Monotonic milliseconds for the duplicate filter; performance.now by default. */
  now?: () => number;
  /**
   * The socket's receive buffer (SO_RCVBUF; Linux caps it at net.core.rmem_max). Default 4 MiB: the
   * 208 KiB default holds ~250 reports, which 150 paying calls fill during a ~150 ms pause of the
   * event loop, and a dropped report is a lost key.
   */
  receiveBufferBytes?: number;
}

export const DTMF_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

export interface DtmfListenerStats {
  accepted: number;
  droppedSource: number;
  malformed: number;
  /** Second reports of one key press (rtpengine's event + detector), dropped. */
  duplicates: number;
}

/**
 * Receives rtpengine's per-digit DTMF reports (UDP, JSON). It checks the source against the
 * allow-list, validates, drops rtpengine's duplicate reports, and hands each key press on once. No log
 * line carries a datagram's content.
 */
export class DtmfListener {
  readonly #options: DtmfListenerOptions;
  readonly #allowed: ReadonlySet<string>;
  readonly #stats: DtmfListenerStats = { accepted: 0, droppedSource: 0, malformed: 0, duplicates: 0 };
  readonly #duplicates: DtmfDuplicateFilter;
  #socket: Socket | undefined;

  constructor(options: DtmfListenerOptions) {
    this.#options = options;
    this.#allowed = new Set(options.allowedSources.map(normaliseAddress));
    this.#duplicates = new DtmfDuplicateFilter({ now: options.now ?? (() => performance.now()) });
  }

  /** The receive buffer the kernel granted (Linux reports twice the size asked, capped by rmem_max). */
  get receiveBufferBytes(): number | undefined {
    return this.#socket?.getRecvBufferSize();
  }

  get stats(): Readonly<DtmfListenerStats> {
    return { ...this.#stats };
  }

  /** Binds the socket; resolves with the port actually bound (useful with port 0). */
  async start(): Promise<number> {
    const socket = createSocket(this.#options.host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.#options.port, this.#options.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.setRecvBufferSize(this.#options.receiveBufferBytes ?? DTMF_RECEIVE_BUFFER_BYTES);
    socket.on('message', (datagram, remote) => this.#onDatagram(datagram, remote.address));
    socket.on('error', (error) => this.#options.logger.error({ err: error }, 'DTMF socket error'));
    this.#socket = socket;
    return socket.address().port;
  }

  async close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  #onDatagram(datagram: Buffer, sourceAddress: string): void {
    // wall-clock ms with sub-ms precision, taken first: the bench's DTMF-to-screen latency starts here
    const receivedAt = performance.timeOrigin + performance.now();
    if (!this.#allowed.has(normaliseAddress(sourceAddress))) {
      this.#stats.droppedSource += 1;
      this.#options.logger.warn(
        { code: 'GW_ERR_DTMF_SOURCE', source: sourceAddress, bytes: datagram.length },
        'DTMF datagram from a source outside the allow-list dropped',
      );
      return;
    }
    let event: DtmfEvent;
    try {
      event = parseDtmfDatagram(datagram);
    } catch (error) {
      this.#stats.malformed += 1;
      const code = isGatewayError(error) ? error.code : 'GW_ERR_DTMF_MALFORMED';
      const reason = isGatewayError(error) ? error.message : 'unreadable';
      this.#options.logger.warn({ code, reason, bytes: datagram.length }, 'malformed DTMF datagram dropped');
      return;
    }
    if (!this.#duplicates.accept(event)) {
      this.#stats.duplicates += 1;
      return;
    }
    this.#stats.accepted += 1;
    // timing only (Call-ID and arrival): never the key
    // in seconds: epoch milliseconds would be a 13-digit run that log scans rightly treat as card-shaped
    this.#options.logger.debug(
      { sipCallId: event.sipCallId, receivedAtS: receivedAt / 1000 },
      'DTMF report accepted',
    );
    this.#options.onEvent(event);
  }
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are the same sender. */
function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

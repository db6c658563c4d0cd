import { type GatewayError, isGatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { DtmfDuplicateFilter, SWEEP_EVERY_MS } from './dtmf-duplicate-filter.js';
import { type DtmfEvent, MAX_DTMF_DATAGRAM_BYTES, parseDtmfDatagram } from './dtmf-event.js';
import { DtmfReceiveThread, type ReceivedDatagram, type RefusedDatagram } from './dtmf-receive-thread.js';

export interface DtmfListenerOptions {
  host: string;
  port: number;
  /** Source addresses whose datagrams are read; everything else is dropped and counted. */
  allowedSources: readonly string[];
  logger: Logger;
  onEvent: (event: DtmfEvent) => void;
  /** The receive thread failed after start: no key will arrive any more. */
  onFailure?: (error: GatewayError) => void;
  /**
   * Milliseconds for the duplicate filter, in place of each datagram's arrival stamp (tests that
   * send faster than a person keys use it to keep reports apart).
   */
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
  /** Dropped by the receive thread while the main thread had too many datagrams outstanding. */
  overflow: number;
}

/**
 * Receives rtpengine's per-digit DTMF reports (UDP, JSON, read and time-stamped on a thread of their
 * own). It checks the source against the allow-list, validates, drops rtpengine's duplicate reports,
 * and hands each key press on once. No log line carries a datagram's content.
 */
export class DtmfListener {
  readonly #options: DtmfListenerOptions;
  readonly #stats: Omit<DtmfListenerStats, 'overflow'> = {
    accepted: 0,
    droppedSource: 0,
    malformed: 0,
    duplicates: 0,
  };
  readonly #duplicates = new DtmfDuplicateFilter();
  readonly #thread: DtmfReceiveThread;
  /** Sweeps the duplicate filter's keys while no report comes (no key stays longer than ~2 s). */
  #sweeper: NodeJS.Timeout | undefined;

  constructor(options: DtmfListenerOptions) {
    this.#options = options;
    this.#thread = new DtmfReceiveThread({
      host: options.host,
      port: options.port,
      receiveBufferBytes: options.receiveBufferBytes ?? DTMF_RECEIVE_BUFFER_BYTES,
      onDatagram: (datagram) => this.#onDatagram(datagram),
      allowedSources: options.allowedSources,
      maxBytes: MAX_DTMF_DATAGRAM_BYTES,
      onRefused: (refused) => this.#onRefused(refused),
      onFailure: (error) => {
        options.logger.error({ code: error.code, err: error }, 'DTMF reports can no longer be received');
        options.onFailure?.(error);
      },
    });
  }

  /** The receive buffer the kernel granted (Linux reports twice the size asked, capped by rmem_max). */
  get receiveBufferBytes(): number | undefined {
    return this.#thread.receiveBufferBytes;
  }

  /** False once the receive thread failed (or before start / after close). */
  get running(): boolean {
    return this.#thread.running;
  }

  get stats(): Readonly<DtmfListenerStats> {
    return { ...this.#stats, overflow: this.#thread.overflow };
  }

  /** Starts the receive thread and binds; resolves with the port bound (useful with port 0). */
  async start(): Promise<number> {
    const port = await this.#thread.start();
    this.#sweeper = setInterval(
      () => this.#duplicates.sweep(this.#options.now?.() ?? performance.timeOrigin + performance.now()),
      SWEEP_EVERY_MS,
    );
    this.#sweeper.unref();
    return port;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    await this.#thread.close();
  }

  /** A datagram the receive thread refused (outside the allow-list, or too large): counted and logged. */
  #onRefused({ reason, sourceAddress, length }: RefusedDatagram): void {
    if (reason === 'source') {
      this.#stats.droppedSource += 1;
      this.#options.logger.warn(
        { code: 'GW_ERR_DTMF_SOURCE', source: sourceAddress, bytes: length },
        'DTMF datagram from a source outside the allow-list dropped',
      );
      return;
    }
    this.#stats.malformed += 1;
    this.#options.logger.warn(
      { code: 'GW_ERR_DTMF_MALFORMED', reason: 'DTMF datagram is larger than the limit', bytes: length },
      'malformed DTMF datagram dropped',
    );
  }

  #onDatagram({ bytes: datagram, receivedAt }: ReceivedDatagram): void {
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
    if (!this.#duplicates.accept(event, this.#options.now?.() ?? receivedAt)) {
      this.#stats.duplicates += 1;
      return;
    }
    this.#stats.accepted += 1;
    // timing only (Call-ID, arrival, wait for the main thread): never the key. In seconds: epoch
    // milliseconds would be a 13-digit run that log scans rightly treat as card-shaped.
    const queuedMs = performance.timeOrigin + performance.now() - receivedAt;
    this.#options.logger.debug(
      {
        sipCallId: event.sipCallId,
        receivedAtS: receivedAt / 1000,
        queuedMs: Math.round(queuedMs * 10) / 10,
      },
      'DTMF report accepted',
    );
    this.#options.onEvent(event);
  }
}

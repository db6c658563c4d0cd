import type { Clock } from '../../application/clock.js';
import type { GatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { type DtmfEvent, MAX_DTMF_DATAGRAM_BYTES } from './dtmf-event.js';
import {
  DtmfReceiveThread,
  type MalformedDatagram,
  type ReceivedKey,
  type RefusedDatagram,
} from './dtmf-receive-thread.js';

export interface DtmfListenerOptions {
  host: string;
  /** Where the edge rtpengine sends its reports (the customer's RFC 4733 events). */
  port: number;
  /** Where the mask rtpengine sends its reports (in-band tones), on the same host. */
  tonesPort: number;
  /** Source addresses whose datagrams are read; everything else is dropped and counted. */
  allowedSources: readonly string[];
  logger: Logger;
  /** The wall clock the receive thread's arrival stamps are compared with (queue time). */
  clock: Clock;
  onEvent: (event: DtmfEvent) => void;
  /** The receive thread failed after start: no key will arrive any more. */
  onFailure?: (error: GatewayError) => void;
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
  /** The other hop's report of a key press a phone sent both as an event and as a tone, dropped. */
  duplicates: number;
  /** Dropped by the receive thread while the main thread had too many datagrams outstanding. */
  overflow: number;
}

/**
 * Receives the two reporting rtpengines' per-digit DTMF reports: the edge's (RFC 4733 events) on `port`, the mask
 * hop's (in-band tones) on `tonesPort`. A thread of their own reads, time-stamps, checks the source
 * against the allow-list, validates and drops the second hop's report of a key sent both ways
 * (DtmfReceiveThread); here each key press is handed on once, and refusals are counted and logged. No
 * log line carries a datagram's content.
 */
export class DtmfListener {
  readonly #options: DtmfListenerOptions;
  readonly #stats: Pick<DtmfListenerStats, 'accepted' | 'droppedSource' | 'malformed'> = {
    accepted: 0,
    droppedSource: 0,
    malformed: 0,
  };
  readonly #thread: DtmfReceiveThread;

  constructor(options: DtmfListenerOptions) {
    this.#options = options;
    this.#thread = new DtmfReceiveThread({
      host: options.host,
      port: options.port,
      tonesPort: options.tonesPort,
      receiveBufferBytes: options.receiveBufferBytes ?? DTMF_RECEIVE_BUFFER_BYTES,
      allowedSources: options.allowedSources,
      maxBytes: MAX_DTMF_DATAGRAM_BYTES,
      onKey: (key) => this.#onKey(key),
      onRefused: (refused) => this.#onRefused(refused),
      onMalformed: (malformed) => this.#onMalformed(malformed),
      // which hop's report was dropped, for working out a key too few (never the key)
      onTwin: ({ sipCallId, kind }) =>
        this.#options.logger.debug({ sipCallId, report: kind }, "DTMF report dropped: the other hop's twin"),
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
    return { ...this.#stats, duplicates: this.#thread.duplicates, overflow: this.#thread.overflow };
  }

  /** The port bound for in-band reports (useful with port 0), once started. */
  get tonesPort(): number | undefined {
    return this.#thread.tonesPort;
  }

  /** Starts the receive thread and binds both ports; resolves with the RFC 4733 port bound (useful with port 0). */
  start(): Promise<number> {
    return this.#thread.start();
  }

  close(): Promise<void> {
    return this.#thread.close();
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
    this.#onMalformed({
      code: 'GW_ERR_DTMF_MALFORMED',
      reason: 'DTMF datagram is larger than the limit',
      length,
    });
  }

  #onMalformed({ code, reason, length }: MalformedDatagram): void {
    this.#stats.malformed += 1;
    this.#options.logger.warn({ code, reason, bytes: length }, 'malformed DTMF datagram dropped');
  }

  #onKey({ event, kind, receivedAt }: ReceivedKey): void {
    this.#stats.accepted += 1;
    // timing only (Call-ID, arrival, wait for the main thread): never the key. In seconds: epoch
    // milliseconds would be a 13-digit run that log scans rightly treat as card-shaped.
    const queuedMs = this.#options.clock.now() - receivedAt;
    this.#options.logger.debug(
      {
        sipCallId: event.sipCallId,
        report: kind,
        receivedAtS: receivedAt / 1000,
        queuedMs: Math.round(queuedMs * 10) / 10,
      },
      'DTMF report accepted',
    );
    this.#options.onEvent(event);
  }
}

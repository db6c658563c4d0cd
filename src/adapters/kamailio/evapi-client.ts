import { connect, type Socket } from 'node:net';
import { isGatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { type CallEvent, parseCallEvent } from './call-event.js';
import { NetstringDecoder } from './netstring-decoder.js';

export interface EvapiClientOptions {
  host: string;
  port: number;
  /** Delay before each reconnection attempt. */
  reconnectMs: number;
  logger: Logger;
  onEvent: (event: CallEvent) => void;
  /** Called after every (re)connection, so the caller can resynchronise what it missed. */
  onConnected: () => void;
}

/**
 * Kamailio's evapi stream of call events (TCP, netstrings). Reconnects for as long as it runs, so a
 * Kamailio restart is survived; every connection triggers onConnected for a resync.
 */
export class EvapiClient {
  readonly #options: EvapiClientOptions;
  readonly #decoder = new NetstringDecoder();
  #socket: Socket | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #stopped = true;
  #connected = false;
  #malformed = 0;

  constructor(options: EvapiClientOptions) {
    this.#options = options;
  }

  get connected(): boolean {
    return this.#connected;
  }

  get malformedCount(): number {
    return this.#malformed;
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#socket?.destroy();
    this.#socket = undefined;
    this.#connected = false;
  }

  #connect(): void {
    const { host, port, logger } = this.#options;
    this.#decoder.reset();
    const socket = connect({ host, port });
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.#connected = true;
      logger.info({ host, port }, 'connected to Kamailio evapi');
      this.#options.onConnected();
    });
    socket.on('data', (chunk) => this.#onData(socket, chunk));
    socket.on('error', (error) => {
      if (this.#connected) logger.warn({ err: error }, 'evapi connection error');
      else logger.debug({ err: error }, 'evapi connection attempt failed');
    });
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      if (this.#connected) logger.warn('evapi connection closed; reconnecting');
      this.#connected = false;
      this.#socket = undefined;
      if (!this.#stopped) {
        this.#reconnectTimer = setTimeout(() => this.#connect(), this.#options.reconnectMs);
      }
    });
  }

  #onData(socket: Socket, chunk: Buffer): void {
    let payloads: string[];
    try {
      payloads = this.#decoder.push(chunk);
    } catch (error) {
      this.#malformed += 1;
      this.#options.logger.warn(
        { err: error, code: 'GW_ERR_SIP_EVENT_MALFORMED' },
        'evapi framing error; reconnecting',
      );
      socket.destroy();
      return;
    }
    for (const payload of payloads) {
      let event: CallEvent;
      try {
        event = parseCallEvent(payload);
      } catch (error) {
        this.#malformed += 1;
        this.#options.logger.warn(
          {
            code: isGatewayError(error) ? error.code : 'GW_ERR_SIP_EVENT_MALFORMED',
            reason: (error as Error).message,
          },
          'malformed call event dropped',
        );
        continue;
      }
      this.#options.onEvent(event);
    }
  }
}

import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { Clock } from '../../application/clock.js';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { decodeNgMessage, encodeNgMessage, type NgDictionary, type NgValue } from './ng-codec.js';

export interface NgClientOptions {
  host: string;
  port: number;
  /** Time to wait for each attempt's reply. */
  timeoutMs: number;
  /** Extra attempts after the first one times out; the same cookie is resent, so rtpengine answers once. */
  retries: number;
  logger: Logger;
  /** Times each exchange for the debug log. */
  clock: Clock;
}

export interface NgReply extends NgDictionary {
  result: string;
}

interface PendingRequest {
  readonly command: string;
  readonly datagram: Buffer;
  attemptsLeft: number;
  timer: NodeJS.Timeout;
  readonly startedAt: number;
  readonly resolve: (reply: NgReply) => void;
  readonly reject: (error: GatewayError) => void;
}

/**
 * rtpengine's NG control protocol: bencoded dictionaries over UDP, matched to replies by cookie.
 * Each request is timed out and retried; close() rejects everything still pending.
 */
export class NgClient {
  readonly #options: NgClientOptions;
  readonly #socket: Socket;
  readonly #pending = new Map<string, PendingRequest>();
  readonly #cookiePrefix = randomBytes(4).toString('hex');
  #sequence = 0;
  #closed = false;

  private constructor(options: NgClientOptions, socket: Socket) {
    this.#options = options;
    this.#socket = socket;
    socket.on('message', (datagram) => this.#onDatagram(datagram));
    socket.on('error', (error) => options.logger.warn({ err: error }, 'NG socket error'));
  }

  static async open(options: NgClientOptions): Promise<NgClient> {
    const socket = createSocket(options.host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, options.host.includes(':') ? '::1' : '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new NgClient(options, socket);
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Sends one NG command (`{command: 'ping'}`, `{command: 'block DTMF', …}`) and resolves with its reply. */
  request(message: NgDictionary & { command: string }): Promise<NgReply> {
    if (this.#closed) {
      return Promise.reject(new GatewayError('GW_ERR_NG_CLOSED', 'NG client is closed'));
    }
    this.#sequence += 1;
    const cookie = `${this.#cookiePrefix}${this.#sequence.toString(36)}`;
    const datagram = encodeNgMessage(cookie, message);
    return new Promise<NgReply>((resolve, reject) => {
      const pending: PendingRequest = {
        command: message.command,
        datagram,
        attemptsLeft: this.#options.retries,
        timer: setTimeout(() => this.#onTimeout(cookie), this.#options.timeoutMs),
        startedAt: this.#options.clock.monotonic(),
        resolve,
        reject,
      };
      this.#pending.set(cookie, pending);
      this.#send(cookie, pending);
    });
  }

  async ping(): Promise<void> {
    const reply = await this.request({ command: 'ping' });
    if (reply.result !== 'pong') {
      throw new GatewayError('GW_ERR_NG_PROTOCOL', 'NG ping was not answered with "pong"');
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const [cookie, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(cookie);
      pending.reject(
        new GatewayError('GW_ERR_NG_CLOSED', `NG client closed while "${pending.command}" was pending`),
      );
    }
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  #send(cookie: string, pending: PendingRequest): void {
    this.#socket.send(pending.datagram, this.#options.port, this.#options.host, (error) => {
      if (error && this.#pending.get(cookie) === pending) {
        this.#settle(cookie);
        pending.reject(
          new GatewayError('GW_ERR_NG_TIMEOUT', `NG "${pending.command}" could not be sent`, {
            retryable: true,
            cause: error,
          }),
        );
      }
    });
  }

  #onTimeout(cookie: string): void {
    const pending = this.#pending.get(cookie);
    if (!pending) return;
    if (pending.attemptsLeft > 0) {
      pending.attemptsLeft -= 1;
      pending.timer = setTimeout(() => this.#onTimeout(cookie), this.#options.timeoutMs);
      this.#options.logger.debug({ command: pending.command }, 'NG request timed out; resending');
      this.#send(cookie, pending);
      return;
    }
    this.#settle(cookie);
    pending.reject(
      new GatewayError(
        'GW_ERR_NG_TIMEOUT',
        `NG "${pending.command}" got no reply after ${this.#options.retries + 1} attempt(s)`,
        { retryable: true },
      ),
    );
  }

  #onDatagram(datagram: Buffer): void {
    let decoded: ReturnType<typeof decodeNgMessage>;
    try {
      decoded = decodeNgMessage(datagram);
    } catch (error) {
      this.#options.logger.warn({ err: error, bytes: datagram.length }, 'undecodable NG reply dropped');
      return;
    }
    const pending = this.#pending.get(decoded.cookie);
    if (!pending) return; // a late reply to a request already settled, or a duplicate
    this.#settle(decoded.cookie);
    const { message } = decoded;
    const result = message.result;
    if (result === 'error') {
      pending.reject(
        new GatewayError(
          'GW_ERR_NG_ERROR',
          `NG "${pending.command}" failed: ${describeReason(message['error-reason'])}`,
        ),
      );
      return;
    }
    if (typeof result !== 'string') {
      pending.reject(new GatewayError('GW_ERR_NG_PROTOCOL', `NG "${pending.command}" reply has no "result"`));
      return;
    }
    this.#options.logger.debug(
      { command: pending.command, ms: Math.round(this.#options.clock.monotonic() - pending.startedAt) },
      'NG reply',
    );
    pending.resolve({ ...message, result });
  }

  #settle(cookie: string): void {
    const pending = this.#pending.get(cookie);
    if (pending) clearTimeout(pending.timer);
    this.#pending.delete(cookie);
  }
}

function describeReason(reason: NgValue | undefined): string {
  return typeof reason === 'string' ? reason.slice(0, 200) : 'no reason given';
}

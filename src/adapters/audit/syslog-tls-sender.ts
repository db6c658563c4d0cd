import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { connect, type TLSSocket } from 'node:tls';

/**
 * Syslog over TLS (RFC 5425) to one receiver: RFC 5424 messages, octet-counting framing, the
 * receiver's certificate checked against `ca`, this side's client certificate presented (mutual TLS).
 * One connection, opened on demand; `send` resolves once the bytes were handed to the socket and
 * rejects when the connection fails or ends first: syslog has no acknowledgement, so the caller keeps
 * what it has not seen through and sends it again (AuditShipper does).
 */
export interface SyslogTlsOptions {
  readonly host: string;
  readonly port: number;
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
  /** APP-NAME and MSGID of every message. */
  readonly appName: string;
  readonly msgId: string;
  readonly connectTimeoutMs: number;
  readonly now: () => number;
}

/** local0.notice: facility 16, severity 5. */
const PRI = 16 * 8 + 5;

export class SyslogTlsSender {
  readonly #options: SyslogTlsOptions;
  readonly #header: string;
  #socket: TLSSocket | undefined;
  #connecting: Promise<TLSSocket> | undefined;

  constructor(options: SyslogTlsOptions) {
    this.#options = options;
    // HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA: printable US-ASCII, no spaces (RFC 5424 §6)
    const host = hostname().replace(/[^\x21-\x7e]/g, '') || '-';
    this.#header = `${host} ${options.appName} ${process.pid} ${options.msgId} -`;
  }

  /** Sends each message (UTF-8, no line end) as one syslog message, in order. */
  async send(messages: readonly string[]): Promise<void> {
    const socket = await this.#open();
    const frames = messages.map((message) => {
      const text = `<${PRI}>1 ${new Date(this.#options.now()).toISOString()} ${this.#header} ${message}`;
      return `${Buffer.byteLength(text, 'utf8')} ${text}`;
    });
    await new Promise<void>((resolve, reject) => {
      const onClose = () => reject(new Error('syslog connection closed'));
      socket.once('close', onClose);
      socket.write(frames.join(''), 'utf8', (error) => {
        socket.off('close', onClose);
        if (error) reject(error);
        else resolve();
      });
    });
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #open(): Promise<TLSSocket> {
    if (this.#socket) return Promise.resolve(this.#socket);
    this.#connecting ??= new Promise<TLSSocket>((resolve, reject) => {
      const { host, port, ca, cert, key } = this.#options;
      const socket = connect({
        host,
        port,
        ca,
        cert,
        key,
        minVersion: 'TLSv1.2',
        // an IP address is checked against the certificate's IP entries; SNI takes names only
        ...(isIP(host) === 0 ? { servername: host } : {}),
      });
      const timer = setTimeout(
        () => socket.destroy(new Error('syslog connect timed out')),
        this.#options.connectTimeoutMs,
      );
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        this.#socket = socket;
        resolve(socket);
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.on('close', () => {
        clearTimeout(timer);
        if (this.#socket === socket) this.#socket = undefined;
        reject(new Error('syslog connection closed'));
      });
      // the receiver sends nothing; anything it does send is read and dropped
      socket.resume();
    }).finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }
}

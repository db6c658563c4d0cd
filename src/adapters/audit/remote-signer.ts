import { connect, type Socket } from 'node:net';
import { ERROR_CODES, type ErrorCode, GatewayError } from '../../errors.js';
import type { RecordSigner } from './audit-record-signer.js';

type Pending = {
  resolve: (reply: Reply) => void;
  reject: (error: GatewayError) => void;
  timer: NodeJS.Timeout;
};
type Reply = {
  id: number;
  ok: boolean;
  kid?: string;
  previousKid?: string;
  sig?: string;
  code?: string;
  message?: string;
};

/**
 * The audit signer process (src/signer) as a RecordSigner: the gateway asks it to sign over its Unix
 * socket and never reads the key. Requests are answered in order; each has a time limit; a closed
 * connection fails what is pending and the next request connects again. A refusal (the record does
 * not extend the signer's chain: a rollback) rejects with GW_ERR_AUDIT_SIGNER, and the log fails
 * closed.
 */
export class RemoteSigner implements RecordSigner {
  readonly #path: string;
  readonly #timeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  #socket: Socket | undefined;
  #nextId = 1;
  #kid = '';
  #previousKid: string | undefined;

  private constructor(path: string, timeoutMs: number) {
    this.#path = path;
    this.#timeoutMs = timeoutMs;
  }

  /** Connects and asks the signer for its key id (and public key). */
  static async open(path: string, timeoutMs = 5000): Promise<RemoteSigner> {
    const signer = new RemoteSigner(path, timeoutMs);
    const hello = await signer.#request({ op: 'hello' });
    signer.#kid = hello.kid ?? '';
    signer.#previousKid = hello.previousKid;
    return signer;
  }

  get kid(): string {
    return this.#kid;
  }

  /**
   * The key this signer's key replaced, as a signer of its own, when the signer process holds it: it
   * endorses the rotation (and signs nothing else with it).
   */
  get previous(): RecordSigner | undefined {
    const kid = this.#previousKid;
    return kid === undefined ? undefined : { kid, sign: (input) => this.sign(input) };
  }

  async sign(input: string): Promise<string> {
    const reply = await this.#request({ op: 'sign', input });
    if (typeof reply.sig !== 'string')
      throw new GatewayError('GW_ERR_AUDIT_SIGNER', 'the signer sent no signature');
    return reply.sig;
  }

  async confirm(seq: number, hash: string): Promise<void> {
    await this.#request({ op: 'confirm', seq, hash });
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #request(body: Record<string, unknown>): Promise<Reply> {
    const id = this.#nextId++;
    const socket = this.#connected();
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(
          new GatewayError('GW_ERR_AUDIT_SIGNER', 'the audit signer did not answer in time', {
            retryable: true,
          }),
        );
      }, this.#timeoutMs);
      this.#pending.set(id, {
        resolve: (reply) => {
          if (reply.ok) resolve(reply);
          else
            reject(
              new GatewayError(
                ERROR_CODES.includes(reply.code as ErrorCode)
                  ? (reply.code as ErrorCode)
                  : 'GW_ERR_AUDIT_SIGNER',
                reply.message ?? 'the audit signer refused',
              ),
            );
        },
        reject,
        timer,
      });
      socket.write(`${JSON.stringify({ id, ...body })}\n`);
    });
  }

  #connected(): Socket {
    if (this.#socket && !this.#socket.destroyed) return this.#socket;
    const socket = connect(this.#path);
    socket.setEncoding('utf8');
    let buffered = '';
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let end = buffered.indexOf('\n');
      while (end >= 0) {
        this.#settle(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
        end = buffered.indexOf('\n');
      }
    });
    const fail = (error?: Error) => {
      if (this.#socket === socket) this.#socket = undefined;
      const failure = new GatewayError('GW_ERR_AUDIT_SIGNER', 'the audit signer cannot be reached', {
        cause: error,
        retryable: true,
      });
      for (const [id, pending] of this.#pending) {
        clearTimeout(pending.timer);
        this.#pending.delete(id);
        pending.reject(failure);
      }
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
    this.#socket = socket;
    return socket;
  }

  #settle(line: string): void {
    let reply: Reply;
    try {
      reply = JSON.parse(line) as Reply;
    } catch {
      return;
    }
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(reply.id);
    pending.resolve(reply);
  }
}

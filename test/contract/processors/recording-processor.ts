import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface CannedReply {
  readonly status: number;
  readonly body: string;
}

/**
 * A processor that knows nothing of the protocol: over mutual TLS it records each request as it
 * came and answers with the next canned reply. The connector's side of the fixture test talks to it.
 */
export class RecordingProcessor {
  readonly requests: RecordedRequest[] = [];
  readonly #replies: CannedReply[] = [];
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(tls: { cert: string; key: string; ca: string }): Promise<RecordingProcessor> {
    const server = createServer({ ...tls, requestCert: true, rejectUnauthorized: true });
    const processor = new RecordingProcessor(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        processor.requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const reply = processor.#replies.shift() ?? { status: 599, body: '' };
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return processor;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1/tokens`;
  }

  /** Queues the answer to the next request and forgets what was recorded so far. */
  answerNextWith(reply: CannedReply): void {
    this.requests.length = 0;
    this.#replies.length = 0;
    this.#replies.push(reply);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}

import { Agent, request } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { ProcessorFailure } from './map-processor-reply.js';

/** PEM material of a mutual-TLS link. */
export interface MutualTlsMaterial {
  /** Our client certificate (chain), PEM. */
  readonly cert: string;
  /** Its private key, PEM. */
  readonly key: string;
  /** The CA(s) that sign the processor's server certificate, PEM. */
  readonly ca: string;
}

export type HttpsOutcome =
  | { readonly ok: true; readonly status: number; readonly body: string }
  | { readonly ok: false; readonly failure: ProcessorFailure };

const MAX_REPLY_BYTES = 64 * 1024;

function networkFailure(error: NodeJS.ErrnoException, written: boolean): HttpsOutcome {
  return {
    ok: false,
    failure: {
      kind: 'network',
      cause: error,
      written,
      ...(error.code === undefined ? {} : { code: error.code }),
    },
  };
}

/** One HTTPS exchange: a POST with a body, or a GET without. */
export interface HttpsExchange {
  readonly method: 'POST' | 'GET';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

/**
 * One request at a time over mutual TLS (TLS 1.2+), with a hard limit on the whole exchange. Failures
 * are returned as ProcessorFailure values, never thrown, so the connector maps them in one place.
 *
 * A network failure says whether the request may have been written (`written`): Node sends the
 * request once the socket's TLS handshake has completed on our side (`secureConnect`), or at once on
 * a kept-alive socket it reuses. A failure before either — refused, unreachable, a name that does not
 * resolve, a certificate either side refused under TLS 1.2, our refusal of the processor's — left the
 * processor untouched. After it, even a reset may come after the processor read the request (under
 * TLS 1.3 a server refusing our client certificate looks the same: reset after our write).
 */
export class HttpsTransport {
  readonly #agent: Agent;

  constructor(tls: MutualTlsMaterial) {
    this.#agent = new Agent({
      keepAlive: true,
      maxSockets: 64,
      // one context for every connection: given cert/key/ca instead, each new socket parses the PEM
      // again (measured: 10–40 ms of the event loop per connection, 100–200 ms pauses in bursts)
      secureContext: createSecureContext({ cert: tls.cert, key: tls.key, ca: tls.ca, minVersion: 'TLSv1.2' }),
      minVersion: 'TLSv1.2',
      // explicit, so NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot turn verification off
      rejectUnauthorized: true,
    });
  }

  send(url: URL, options: HttpsExchange): Promise<HttpsOutcome> {
    return new Promise<HttpsOutcome>((resolve) => {
      let settled = false;
      let written = false;
      const settle = (outcome: HttpsOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const { body } = options;
      const req = request(url, {
        method: options.method,
        agent: this.#agent,
        headers: {
          ...options.headers,
          ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body).toString() }),
        },
      });
      req.on('socket', (socket) => {
        if (req.reusedSocket) written = true;
        else socket.once('secureConnect', () => (written = true));
      });
      const timer = setTimeout(() => {
        settle({ ok: false, failure: { kind: 'timeout' } });
        req.destroy();
      }, options.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => settle(networkFailure(error, written)));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_REPLY_BYTES) {
            settle({ ok: false, failure: { kind: 'malformed', what: 'reply (too large)', status } });
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => settle({ ok: true, status, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error: NodeJS.ErrnoException) => settle(networkFailure(error, true)));
      });
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

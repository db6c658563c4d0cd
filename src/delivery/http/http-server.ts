import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Express } from 'express';

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  /** PEM certificate chain and key (e.g. from keys/); undefined: plain HTTP. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
}

/** Starts the app on HTTP or HTTPS (TLS 1.2 or later) and says where it listens. */
export async function listenHttp(
  app: Express,
  options: ListenOptions,
): Promise<{ server: Server; url: string }> {
  const server: Server = options.tls
    ? createHttpsServer(
        {
          cert: await readFile(options.tls.certFile),
          key: await readFile(options.tls.keyFile),
          minVersion: 'TLSv1.2',
        },
        app,
      )
    : createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { server, url: `${options.tls ? 'https' : 'http'}://${host}:${port}` };
}

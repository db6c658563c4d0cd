import { once } from 'node:events';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import type { DecryptionKeyring } from './decryption-keyring.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { createSandboxApp } from './sandbox-app.js';

export interface SandboxServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** PEM: the sandbox's server certificate and key, and the CA that signs accepted client certificates. */
  readonly tls: { readonly cert: string; readonly key: string; readonly ca: string };
  readonly keyring: DecryptionKeyring;
  readonly logger: Logger;
  readonly hangMs: number;
  readonly now?: () => number;
}

export interface SandboxServer {
  readonly host: string;
  readonly port: number;
  /** e.g. https://127.0.0.1:8443/v1/tokens */
  readonly tokensUrl: string;
  readonly store: IdempotencyStore;
  close(): Promise<void>;
}

/**
 * Starts the sandbox processor over HTTPS with mutual TLS: a client without a certificate signed by
 * the configured CA is refused in the handshake.
 */
export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const sandbox = createSandboxApp(options);
  const server = createServer(
    {
      cert: options.tls.cert,
      key: options.tls.key,
      ca: options.tls.ca,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    sandbox.app,
  );
  server.listen(options.port, options.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    host: options.host,
    port,
    tokensUrl: `https://${hostInUrl}:${port}/v1/tokens`,
    store: sandbox.store,
    close: async () => {
      sandbox.releaseHeld();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

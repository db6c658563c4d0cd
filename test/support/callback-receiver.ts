/**
 * A status-callback receiver for the tests that run the gateway as a process: an HTTP server on a free
 * loopback port that hands each request's body and headers to `onCallback` and answers 204.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface CallbackReceiver {
  readonly port: number;
  /** The URL a payment's `statusCallback` names. */
  readonly url: string;
  close(): void;
}

export async function startCallbackReceiver(
  onCallback: (body: string, headers: IncomingHttpHeaders) => void,
): Promise<CallbackReceiver> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      onCallback(body, request.headers);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/hooks/payments`,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

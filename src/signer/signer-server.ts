import { chmod, chown, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { isGatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ChainSigner } from './chain-signer.js';
import { parseSignerRequest, type SignerReply } from './signer-protocol.js';

/** A request line longer than this is not one: the connection is closed. */
const MAX_LINE_BYTES = 256 * 1024;

/**
 * The signer on a Unix socket (mode 0660, the group named by `gid`): one JSON request a line, one
 * reply a line, in order per connection (signer-protocol.ts). Requests of all connections are
 * handled one at a time: the chain state is one.
 */
export async function startSignerServer(options: {
  readonly socketPath: string;
  readonly gid: number | undefined;
  readonly signer: ChainSigner;
  readonly logger: Logger;
}): Promise<Server> {
  const { signer, logger } = options;
  let queue: Promise<void> = Promise.resolve();

  const handle = async (line: string): Promise<SignerReply> => {
    const request = parseSignerRequest(line);
    if (request === undefined)
      return { id: null, ok: false, code: 'GW_ERR_AUDIT_SIGNER', message: 'not a request' };
    try {
      switch (request.op) {
        case 'hello':
          return {
            id: request.id,
            ok: true,
            kid: signer.kid,
            publicKey: signer.publicKeyPem,
            ...(signer.previousKid === undefined ? {} : { previousKid: signer.previousKid }),
          };
        case 'sign':
          return { id: request.id, ok: true, sig: await signer.sign(request.input) };
        case 'confirm':
          await signer.confirm(request.seq, request.hash);
          return { id: request.id, ok: true };
      }
    } catch (error) {
      const code = isGatewayError(error) ? error.code : 'GW_ERR_AUDIT_SIGNER';
      const message = isGatewayError(error) ? error.message : 'signing failed';
      logger.warn({ code, op: request.op, reason: message }, 'audit signer refused a request');
      return { id: request.id, ok: false, code, message };
    }
  };

  const serve = (socket: Socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_LINE_BYTES && !buffered.includes('\n')) {
        socket.destroy();
        return;
      }
      let end = buffered.indexOf('\n');
      while (end >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        queue = queue.then(async () => {
          const reply = await handle(line);
          if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
        });
        end = buffered.indexOf('\n');
      }
    });
    socket.on('error', () => socket.destroy());
  };

  await rm(options.socketPath, { force: true });
  const server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => resolve());
  });
  if (options.gid !== undefined) await chown(options.socketPath, process.getuid?.() ?? 0, options.gid);
  await chmod(options.socketPath, 0o660);
  return server;
}

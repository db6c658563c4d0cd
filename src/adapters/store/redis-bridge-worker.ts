import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { createClient } from '@redis/client';
import type {
  BridgeAnswer,
  BridgeRequest,
  BridgeStart,
  BridgeStatus,
  RedisCommand,
  RedisReply,
} from './redis-bridge-protocol.js';

/**
 * The Redis bridge's thread (redis-bridge.ts): one node-redis connection, the requests in the order
 * they came. A blocking request's answer goes to the blocking port and the shared counter is bumped,
 * which wakes the main thread waiting on it; a queued request's answer goes to the main port.
 */
const start = workerData as BridgeStart & { readonly blockingPort: MessagePort };
const port = parentPort;
if (!port) throw new Error('the Redis bridge runs in a worker thread');
const signal = new Int32Array(start.signal);

const client = createClient({
  ...connectionOf(start.url),
  RESP: 2,
  // a command while disconnected fails at once: the caller's deadline is the bridge's, not a queue's
  disableOfflineQueue: true,
  socket: {
    ...connectionOf(start.url).socket,
    connectTimeout: start.connectTimeoutMs,
    reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000),
  },
});
client.on('error', () => {
  // reconnects by itself; each request that fails meanwhile answers with its error
});

function connectionOf(url: string): { url?: string; socket: { path?: string } } {
  if (url.startsWith('unix:')) return { socket: { path: new URL(url).pathname } };
  return { url, socket: {} };
}

async function run(request: BridgeRequest): Promise<RedisReply[]> {
  if (request.atomic) {
    const multi = client.multi();
    for (const command of request.commands) multi.addCommand(command as string[]);
    return (await multi.exec()) as unknown as RedisReply[];
  }
  const replies = await Promise.all(
    request.commands.map((command: RedisCommand) => client.sendCommand([...command])),
  );
  return replies as unknown as RedisReply[];
}

let order: Promise<void> = Promise.resolve();

port.on('message', (request: BridgeRequest | 'close') => {
  if (request === 'close') {
    order = order.then(() => client.close().catch(() => undefined)).then(() => port.close());
    return;
  }
  order = order.then(async () => {
    let answer: BridgeAnswer;
    try {
      answer = { id: request.id, ok: true, replies: await run(request) };
    } catch (error) {
      answer = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    if (request.mode === 'queued') {
      port.postMessage(answer);
      return;
    }
    start.blockingPort.postMessage(answer);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
});

client
  .connect()
  .then(() => port.postMessage({ kind: 'ready' } satisfies BridgeStatus))
  .catch((error: unknown) =>
    port.postMessage({
      kind: 'failed',
      error: error instanceof Error ? error.message : String(error),
    } satisfies BridgeStatus),
  );

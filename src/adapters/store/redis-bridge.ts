import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import type { Clock, Timers } from '../../application/clock.js';
import { GatewayError } from '../../errors.js';
import { siblingModuleUrl, startModuleWorker } from '../module-worker.js';
import type {
  BridgeAnswer,
  BridgeRequest,
  BridgeStatus,
  RedisCommand,
  RedisReply,
} from './redis-bridge-protocol.js';

export type { RedisCommand, RedisReply } from './redis-bridge-protocol.js';

export interface RedisBridgeOptions {
  /** redis://, rediss:// or unix:///path (TONEWALL_REDIS_URL). */
  readonly url: string;
  /** The longest a blocking request, or the connection at open, waits (TONEWALL_REDIS_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** The deadline of a blocking call is on its monotonic time. */
  readonly clock: Clock;
  readonly timers: Timers;
}

/**
 * Redis behind the application's synchronous ports (docs/operations.md, "Shared state"): the
 * node-redis client runs on a worker thread (redis-bridge-worker.ts); `call` blocks this thread
 * until Redis answers — one loopback round trip (docs/operations.md has it measured) — and at most
 * `timeoutMs`, then throws GW_ERR_STATE_STORE. `send` queues without waiting; every request goes to Redis in the order made,
 * on one connection, so a `call` after a `send` sees its write. `drain` resolves once all sent so
 * far is acknowledged.
 */
export class RedisBridge {
  readonly #worker: Worker;
  readonly #blocking: MessagePort;
  readonly #signal: Int32Array;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #queued = new Map<number, { resolve(): void; reject(error: Error): void }>();
  #sendFailure: Error | undefined;
  #nextId = 1;
  #closed = false;

  private constructor(
    worker: Worker,
    blocking: MessagePort,
    signal: Int32Array,
    options: RedisBridgeOptions,
  ) {
    this.#worker = worker;
    this.#blocking = blocking;
    this.#signal = signal;
    this.#timeoutMs = options.timeoutMs;
    this.#clock = options.clock;
    this.#timers = options.timers;
    worker.on('message', (answer: BridgeAnswer) => this.#settleQueued(answer));
  }

  /** Starts the thread and connects; rejects GW_ERR_STATE_STORE when Redis cannot be reached in time. */
  static async open(options: RedisBridgeOptions): Promise<RedisBridge> {
    const signal = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    const worker = startModuleWorker(siblingModuleUrl(import.meta.url, 'redis-bridge-worker'), {
      workerData: { url: options.url, signal, blockingPort: port2, connectTimeoutMs: options.timeoutMs },
      transferList: [port2],
    });
    const status = await new Promise<BridgeStatus>((resolve) => {
      const timer = options.timers.set(Math.max(options.timeoutMs * 4, 2_000), () =>
        resolve({ kind: 'failed', error: 'no connection in time' }),
      );
      worker.once('message', (message: BridgeStatus) => {
        timer.cancel();
        resolve(message);
      });
      worker.once('error', (error) => {
        timer.cancel();
        resolve({ kind: 'failed', error: error.message });
      });
    });
    if (status.kind === 'failed') {
      await worker.terminate();
      port1.close();
      throw new GatewayError('GW_ERR_STATE_STORE', `the state store could not be reached: ${status.error}`);
    }
    worker.unref();
    return new RedisBridge(worker, port1, new Int32Array(signal), options);
  }

  /** Runs `commands` (one MULTI/EXEC when `atomic`) and returns their replies; blocks until answered. */
  call(commands: readonly RedisCommand[], options: { atomic?: boolean } = {}): RedisReply[] {
    this.#refuseClosed();
    const id = this.#nextId++;
    const request: BridgeRequest = { id, commands, atomic: options.atomic ?? false, mode: 'blocking' };
    const deadline = this.#clock.monotonic() + this.#timeoutMs;
    let seen = Atomics.load(this.#signal, 0);
    this.#worker.postMessage(request);
    for (;;) {
      for (
        let message = receiveMessageOnPort(this.#blocking);
        message;
        message = receiveMessageOnPort(this.#blocking)
      ) {
        const answer = message.message as BridgeAnswer;
        if (answer.id !== id) continue; // the late answer of a request that timed out
        if (!answer.ok)
          throw new GatewayError('GW_ERR_STATE_STORE', `the state store refused: ${answer.error}`);
        return answer.replies;
      }
      const left = deadline - this.#clock.monotonic();
      if (left <= 0) {
        throw new GatewayError('GW_ERR_STATE_STORE', 'the state store did not answer in time', {
          retryable: true,
        });
      }
      Atomics.wait(this.#signal, 0, seen, left);
      seen = Atomics.load(this.#signal, 0);
    }
  }

  /** Queues `commands` without waiting (a write whose durability `drain` confirms). */
  send(commands: readonly RedisCommand[], options: { atomic?: boolean } = {}): void {
    if (this.#closed) return;
    const id = this.#nextId++;
    this.#queued.set(id, {
      resolve: () => undefined,
      reject: (error) => {
        this.#sendFailure ??= error;
      },
    });
    this.#worker.postMessage({
      id,
      commands,
      atomic: options.atomic ?? false,
      mode: 'queued',
    } satisfies BridgeRequest);
  }

  /** Resolves once everything sent so far is acknowledged; rejects if a write since the last drain failed. */
  async drain(): Promise<void> {
    if (this.#closed) return;
    const id = this.#nextId++;
    await new Promise<void>((resolve, reject) => {
      this.#queued.set(id, { resolve, reject });
      this.#worker.postMessage({
        id,
        commands: [['PING']],
        atomic: false,
        mode: 'queued',
      } satisfies BridgeRequest);
    });
    const failure = this.#sendFailure;
    this.#sendFailure = undefined;
    if (failure) throw failure;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.drain().catch(() => undefined);
    this.#closed = true;
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.ref(); // the wait for its exit keeps the process up (unref'd while open)
    this.#worker.postMessage('close');
    const timer = this.#timers.set(this.#timeoutMs + 1_000, () => void this.#worker.terminate());
    await exited;
    timer.cancel();
    this.#blocking.close();
  }

  #settleQueued(answer: BridgeAnswer): void {
    const waiting = this.#queued.get(answer.id);
    if (!waiting) return;
    this.#queued.delete(answer.id);
    if (answer.ok) waiting.resolve();
    else waiting.reject(new GatewayError('GW_ERR_STATE_STORE', `the state store refused: ${answer.error}`));
  }

  #refuseClosed(): void {
    if (this.#closed) throw new GatewayError('GW_ERR_STATE_STORE', 'the state store is closed');
  }
}

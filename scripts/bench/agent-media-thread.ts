/**
 * The bench's side of the agents' media thread (agent-media-worker.ts): starts it, hands
 * out the endpoints' ports and, once every call has ended, collects one leak report per endpoint.
 * `terminate()` ends the thread, in any state (the bench's `finally`).
 */
import type { Worker } from 'node:worker_threads';
import { siblingModuleUrl, startModuleWorker } from '../../src/adapters/module-worker.js';
import type { AgentLeakReport } from './agent-endpoint.js';
import type { AgentMediaCommand, AgentMediaMessage, AgentMediaSettings } from './agent-media-protocol.js';

/** Binding takes milliseconds and analysing a call's packets a fraction of a second: far above both. */
const REPLY_TIMEOUT_MS = 60_000;

export class AgentMediaThread {
  readonly #worker: Worker;
  /** Why the thread ended before its reports, if it did. */
  #ended: Error | undefined;
  /** One port per call, in order. */
  readonly ports: readonly number[];

  private constructor(worker: Worker, ports: number[]) {
    this.#worker = worker;
    this.ports = ports;
    // kept from the start: an 'error' event nobody listens to would end the bench
    worker.on('error', (error) => {
      this.#ended ??= new Error(`agent media thread failed: ${error.message}`, { cause: error });
    });
    worker.on('exit', (code) => {
      this.#ended ??= new Error(`agent media thread exited (${code})`);
    });
  }

  /** Starts the thread; resolves once its `count` endpoints are bound at `address`. */
  static async start(settings: AgentMediaSettings): Promise<AgentMediaThread> {
    const worker = startModuleWorker(siblingModuleUrl(import.meta.url, 'agent-media-worker'), {
      workerData: settings,
      name: 'bench-agent-media',
    });
    try {
      const { ports } = await reply(worker, 'ready');
      return new AgentMediaThread(worker, ports);
    } catch (error) {
      await worker.terminate();
      throw error;
    }
  }

  /** Every call has ended: the endpoints stop talking and report what their agents received. */
  async finish(): Promise<AgentLeakReport[]> {
    if (this.#ended) throw this.#ended;
    const replied = reply(this.#worker, 'reports');
    const command: AgentMediaCommand = { type: 'finish' };
    this.#worker.postMessage(command);
    return (await replied).reports;
  }

  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }
}

/** The thread's next message of `type`; its 'failed', an error, its exit or the timeout reject. */
function reply<T extends AgentMediaMessage['type']>(
  worker: Worker,
  type: T,
): Promise<Extract<AgentMediaMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`agent media thread: no '${type}' in ${REPLY_TIMEOUT_MS} ms`)),
      REPLY_TIMEOUT_MS,
    );
    const onMessage = (message: AgentMediaMessage) => {
      if (message.type === type) done(undefined, message as Extract<AgentMediaMessage, { type: T }>);
      else if (message.type === 'failed') done(new Error(`agent media thread: ${message.message}`));
    };
    const onError = (error: Error) =>
      done(new Error(`agent media thread failed: ${error.message}`, { cause: error }));
    const onExit = (code: number) => done(new Error(`agent media thread exited (${code}) before '${type}'`));
    function done(error: Error | undefined, message?: Extract<AgentMediaMessage, { type: T }>) {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (message) resolve(message);
      else reject(error);
    }
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

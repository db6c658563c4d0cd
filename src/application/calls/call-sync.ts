import type { Logger } from '../../logger.js';
import type { AnsweredCallSource } from './answered-call-source.js';
import type { CallRegistry } from './call-registry.js';

/**
 * Rebuilds the call registry from Kamailio's dialog list (JSON-RPC dlg.list): at start-up and after
 * every evapi reconnection, so calls answered while the gateway was down or disconnected are known.
 */
export class CallSync {
  readonly #source: AnsweredCallSource;
  readonly #registry: CallRegistry;
  readonly #logger: Logger;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(options: { source: AnsweredCallSource; registry: CallRegistry; logger: Logger }) {
    this.#source = options.source;
    this.#registry = options.registry;
    this.#logger = options.logger;
  }

  /** Runs a resync; a request made while one runs schedules exactly one more afterwards. */
  resync(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        void this.resync();
      }
    });
    return this.#running;
  }

  async #run(): Promise<void> {
    try {
      const { calls, skipped } = await this.#source.listAnswered();
      const { added, removed } = this.#registry.reconcile(calls);
      this.#logger.info(
        { active: calls.length, added, removed, skipped },
        'calls resynchronised from Kamailio',
      );
    } catch (error) {
      this.#logger.warn({ err: error }, 'call resync from Kamailio failed; keeping the known calls');
    }
  }
}

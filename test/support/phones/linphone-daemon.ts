/** linphone-daemon's command interface (linphone-phone.ts), read from its stdout: answers and call states. */
import { PhoneError, sleep } from './phone.js';
import { redactKeyLine } from './phone-logs.js';
import type { PhoneProcess } from './phone-process.js';

/** The daemon's answers and events, from its stdout lines. */
export class DaemonConsole {
  readonly #proc: PhoneProcess;
  readonly states: string[] = [];
  readonly #stateListeners = new Set<() => void>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(proc: PhoneProcess) {
    this.#proc = proc;
    proc.onLine((line) => {
      const state = /Event:\s*(LinphoneCall\w+)/.exec(line)?.[1];
      if (state) {
        this.states.push(state);
        for (const listener of [...this.#stateListeners]) listener();
      }
    });
  }

  /** Sends one command and waits for its `Status:` line (one command at a time). */
  command(line: string, timeoutMs = 5000): Promise<void> {
    const run = async () => {
      let reason = '';
      const stopReason = this.#proc.onLine((out) => {
        const found = /Reason:\s*(.*)$/.exec(out)?.[1];
        if (found) reason = found;
      });
      try {
        const status = this.#proc.waitForLine(
          /Status:\s*(Ok|Error)/,
          timeoutMs,
          `linphone-daemon '${line.split(' ')[0]}'`,
        );
        this.#proc.writeLine(line);
        const answer = await status;
        if (/Error/.test(answer)) {
          await sleep(20); // the Reason line follows
          throw new PhoneError(`linphone-daemon: '${redactKeyLine(line)}' failed: ${reason || answer}`);
        }
      } finally {
        stopReason();
      }
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves with the first call state of `wanted` seen from index `since` of `states` on. */
  waitForState(wanted: readonly string[], timeoutMs: number, since: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.states.slice(since).find((state) => wanted.includes(state));
        if (found) {
          clearTimeout(timer);
          this.#stateListeners.delete(check);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        this.#stateListeners.delete(check);
        reject(
          new PhoneError(
            `linphone: none of ${wanted.join(', ')} within ${timeoutMs} ms (seen ${this.states.join(', ')})`,
          ),
        );
      }, timeoutMs);
      this.#stateListeners.add(check);
      check();
    });
  }
}

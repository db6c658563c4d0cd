/**
 * A phone's child process (phone.ts): its output line-filtered into its log, killed by PID; every
 * process started and not yet ended is tracked, so `stopAllPhones()` can end them all.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PhoneError } from './phone.js';

/** Every phone process started and not yet ended (stopAllPhones ends them). */
const running = new Set<PhoneProcess>();

export interface PhoneProcessOptions {
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  /** Rewrites one output line before it is logged (redaction); return null to drop it. */
  filterLine?: (line: string) => string | null;
}

/** One phone's child process: stdout/stderr line-filtered into its log, killed by PID. */
export class PhoneProcess {
  readonly pid: number;
  readonly logFile: string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #child: ChildProcess;
  readonly #fd: number;
  readonly #listeners = new Set<(line: string) => void>();
  #partial = '';
  #closed = false;

  private constructor(child: ChildProcess, pid: number, fd: number, options: PhoneProcessOptions) {
    this.#child = child;
    this.pid = pid;
    this.#fd = fd;
    this.logFile = options.logFile;
    const filter = options.filterLine ?? ((line: string) => line);
    const onData = (chunk: Buffer) => {
      const text = this.#partial + chunk.toString('utf8');
      const lines = text.split(/\r\n|\r|\n/);
      this.#partial = lines.pop() ?? '';
      for (const line of lines) this.#line(line, filter);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    // 'close': the process has exited and its output is read to the end
    this.exit = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        if (this.#partial) this.#line(this.#partial, filter);
        this.#partial = '';
        this.#log(`--- exited: ${code ?? signal}\n`);
        resolve({ code, signal });
      });
    });
    // the exit promise settles even if nobody awaits it
    this.exit.finally(() => {
      running.delete(this);
      if (!this.#closed) {
        this.#closed = true;
        closeSync(this.#fd);
      }
    });
  }

  static async start(options: PhoneProcessOptions): Promise<PhoneProcess> {
    mkdirSync(join(options.logFile, '..'), { recursive: true });
    const fd = openSync(options.logFile, 'a');
    writeSync(fd, `--- ${new Date().toISOString()} ${options.command} ${options.args.join(' ')}\n`);
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let pid: number;
    try {
      pid = await new Promise<number>((resolve, reject) => {
        child.once('spawn', () => resolve(child.pid ?? -1));
        child.once('error', reject);
      });
    } catch (error) {
      closeSync(fd);
      throw new PhoneError(
        `${options.command} could not start (is it installed? stack_install adds it): ${(error as Error).message}`,
        { cause: error },
      );
    }
    const phone = new PhoneProcess(child, pid, fd, options);
    running.add(phone);
    return phone;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Writes one line to the process's stdin (linphone-daemon's command interface). */
  writeLine(line: string): void {
    if (!this.running || !this.#child.stdin?.writable) throw new PhoneError(`pid ${this.pid} is not running`);
    this.#child.stdin.write(`${line}\n`);
  }

  /** Calls `listener` with every output line (unfiltered) from now on; returns the unsubscribe. */
  onLine(listener: (line: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves with the first output line matching `pattern`; rejects after `timeoutMs` or at exit. */
  waitForLine(pattern: RegExp, timeoutMs: number, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => done(new PhoneError(`${what}: not seen within ${timeoutMs} ms (log ${this.logFile})`)),
        timeoutMs,
      );
      const stop = this.onLine((line) => {
        if (pattern.test(line)) done(undefined, line);
      });
      const onExit = () =>
        done(new PhoneError(`${what}: the phone (pid ${this.pid}) exited (log ${this.logFile})`));
      this.#child.once('exit', onExit);
      const done = (error?: Error, line?: string) => {
        clearTimeout(timer);
        stop();
        this.#child.off('exit', onExit);
        if (error) reject(error);
        else resolve(line ?? '');
      };
    });
  }

  /** SIGTERM, then SIGKILL after `graceMs`, by PID; resolves when the process has exited. */
  async kill(graceMs = 3000): Promise<void> {
    if (this.running) {
      try {
        process.kill(this.pid, 'SIGTERM');
      } catch {
        // gone already
      }
      const timer = setTimeout(() => {
        if (this.running) process.kill(this.pid, 'SIGKILL');
      }, graceMs);
      await this.exit;
      clearTimeout(timer);
    } else {
      await this.exit;
    }
  }

  #line(line: string, filter: (line: string) => string | null): void {
    for (const listener of this.#listeners) listener(line);
    const kept = filter(line);
    if (kept !== null && kept.trim() !== '') this.#log(`${kept}\n`);
  }

  #log(text: string): void {
    if (!this.#closed) writeSync(this.#fd, text);
  }
}

/** Ends every phone process still running (by PID). Safe to call any time, also twice. */
export async function stopAllPhones(): Promise<void> {
  await Promise.all([...running].map((phone) => phone.kill()));
}

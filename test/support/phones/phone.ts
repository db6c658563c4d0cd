/**
 * Real softphones as the customer (issue 14, item 4): what baresip-phone.ts and linphone-phone.ts
 * share. A phone is a child process with its own temporary config directory, on a loopback address
 * of its own (never 127.0.0.2, the PBX/agent side), no sound card, calling Kamailio directly
 * without registering. Every process is tracked by PID and ended by `stop()` or `stopAllPhones()`.
 *
 * The phone's "microphone" carries a 400 Hz tone ("voice") before and after the keys, silence
 * under them: the agent hearing that tone is the positive control that the phone's audio reached
 * it. 400 Hz is far from every DTMF frequency, so it is never taken for a digit.
 *
 * Logs: `<logDir>/<phone>-<n>.log`. The phones print each key they send on its own line; those
 * lines are written with the key replaced by `•`, so a log never holds a keyed sequence.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { dtmfTone, parseDtmfDigits } from '../media/dtmf-tone.js';
import { concatPcm, silence, sines } from '../media/signal.js';
import { REPO_ROOT, TEST_RUN_NAME } from '../stack.js';

export type DtmfMode = 'rfc4733' | 'inband';
export type PhoneKind = 'baresip' | 'linphone';

/** Where the phones' logs go in the suite. */
export const PHONE_LOG_DIR = join(REPO_ROOT, '.run', TEST_RUN_NAME, 'phones');

/** The "voice" the phones' microphones carry before and after the keys. */
export const VOICE_HZ = 400;
export const VOICE_DBFS = -20;
/** Level of each tone of an in-band key a script generates (linphone's own generator measures −16.6 dBFS). */
export const INBAND_TONE_DBFS = -16;
/** Length of an in-band key (linphone's generator: always 100 ms). */
export const INBAND_TONE_MS = 100;

export interface PhoneOptions {
  /** Names the log file. */
  name: string;
  mode: DtmfMode;
  /** The phone's own loopback address (default per phone: 127.0.0.11 baresip, 127.0.0.12 linphone). */
  address?: string;
  /** Default PHONE_LOG_DIR. */
  logDir?: string;
}

export interface CallPlan {
  /** Whom to call: `sip:agent@127.0.0.1:5060` (Kamailio; no registration). */
  uri: string;
  /** The keys to press, in order. */
  keys: string;
  /** From one key press to the next, ms (the phone may not go faster: see each phone). */
  interKeyMs: number;
  /** Voice from the answer to the first key, ms (default 1000). */
  leadMs?: number;
  /** Voice after the last key before hanging up, ms (default 1000). */
  tailMs?: number;
  /** The call must be answered within this (default 10 s). */
  answerTimeoutMs?: number;
}

export interface CallRecord {
  /** Epoch ms of the answer (the phone saw 200 OK / its media start). */
  readonly answeredAt: number;
  /** Epoch ms at which each key was pressed (for an in-band file: where its tone starts). */
  readonly pressedAt: readonly number[];
  /** Epoch ms at which the phone saw the call end after its BYE. */
  readonly endedAt: number;
}

export interface Phone {
  readonly kind: PhoneKind;
  readonly mode: DtmfMode;
  /** The phone's SIP address. */
  readonly address: string;
  readonly pid: number;
  readonly logFile: string;
  /** The UDP port the phone sends its RTP from (its SDP's media port). */
  readonly rtpPort: number;
  /** The fastest the phone keys in this mode, ms from press to press. */
  readonly minInterKeyMs: number;
  /** Places the call, keys, hangs up; resolves once the call has ended. */
  call(plan: CallPlan): Promise<CallRecord>;
  /** Ends the process (SIGTERM, then SIGKILL by PID) and removes its temporary directory. */
  stop(): Promise<void>;
}

export class PhoneError extends Error {
  readonly code = 'GW_ERR_TEST_PHONE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PhoneError';
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// --- processes -------------------------------------------------------------------------------------

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

// --- ports ------------------------------------------------------------------------------------------

/** Local ports some UDP or TCP socket holds, on any address (from /proc/net/{udp,tcp}). */
function portsInUse(): Set<number> {
  const used = new Set<number>();
  for (const file of ['/proc/net/udp', '/proc/net/tcp', '/proc/net/udp6', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      const hex = local?.split(':').pop();
      if (hex) used.add(Number.parseInt(hex, 16));
    }
  }
  return used;
}

/**
 * `count` consecutive ports (the first even) that no socket holds on any address: phones bind their
 * RTP on the wildcard address, so a port free on one loopback address only is not enough. Looks in
 * 21000-29000 (below the kernel's ephemeral range, apart from rtpengine's and SIPp's ranges),
 * starting at a random place.
 */
export function freePhonePorts(count: number): number {
  const from = 21_000;
  const to = 29_000;
  const used = portsInUse();
  const step = count % 2 === 0 ? count : count + 1;
  const slots = Math.floor((to - from) / step);
  const first = Math.floor(Math.random() * slots);
  for (let i = 0; i < slots; i += 1) {
    const port = from + ((first + i) % slots) * step;
    let free = true;
    for (let offset = 0; offset < count && free; offset += 1) free = !used.has(port + offset);
    if (free) return port;
  }
  throw new PhoneError(`no ${count} free ports in ${from}-${to}`);
}

/** Checks that a TCP port can be bound on `address` now. */
export function tcpPortFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, address, () => server.close(() => resolve(true)));
  });
}

// --- sound ------------------------------------------------------------------------------------------

/** The microphone's signal for one call: voice, then keys (in-band tones or silence), then voice. */
export interface MicSignal {
  readonly pcm: Int16Array;
  /** ms from the start of `pcm` at which each key's tone starts (in-band) or the key is due (RFC 4733). */
  readonly keyAtMs: readonly number[];
  readonly durationMs: number;
}

export function voice(durationMs: number): Int16Array {
  return sines({ frequenciesHz: [VOICE_HZ], levelDbfs: VOICE_DBFS, durationMs });
}

/**
 * Voice for `leadMs`, then one slot of `interKeyMs` per key — with `inBand`, a 100 ms DTMF tone at
 * the start of each slot, else silence — then voice for `tailMs`.
 */
export function micSignal(
  keys: string,
  options: { leadMs: number; tailMs: number; interKeyMs: number; inBand: boolean },
): MicSignal {
  const parts: Int16Array[] = [voice(options.leadMs)];
  const keyAtMs: number[] = [];
  let atMs = options.leadMs;
  for (const digit of parseDtmfDigits(keys)) {
    keyAtMs.push(atMs);
    const toneMs = Math.min(INBAND_TONE_MS, options.interKeyMs);
    if (options.inBand) {
      parts.push(dtmfTone(digit, { levelDbfs: INBAND_TONE_DBFS, durationMs: toneMs }));
      parts.push(silence(options.interKeyMs - toneMs));
    } else {
      parts.push(silence(options.interKeyMs));
    }
    atMs += options.interKeyMs;
  }
  parts.push(voice(options.tailMs));
  atMs += options.tailMs;
  return { pcm: concatPcm(parts), keyAtMs, durationMs: atMs };
}

/** 16-bit mono little-endian PCM as a WAV file (what baresip's aufile reads). */
export function wavBytes(pcm: Int16Array, sampleRateHz = 8000): Buffer {
  const data = Buffer.alloc(pcm.length * 2);
  for (const [i, sample] of pcm.entries()) data.writeInt16LE(sample, i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRateHz, 24);
  header.writeUInt32LE(sampleRateHz * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** A UDP socket that takes and drops what a phone plays (its "speaker"). */
export async function openDiscard(address: string, port: number) {
  const socket = createSocket('udp4');
  let datagrams = 0;
  socket.on('message', () => {
    datagrams += 1;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    get datagrams() {
      return datagrams;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

// --- logs -------------------------------------------------------------------------------------------

const KEY_CHARS = '[0-9*#A-D]';

/**
 * Replaces the key in a line that names one with `•`: baresip's `audio: send DTMF digit: '4'` (and
 * `… digit end: '4'`), linphone-daemon's echo of its `dtmf 4` command.
 */
export function redactKeyLine(line: string): string {
  return line
    .replace(new RegExp(`(DTMF digit(?: end)?: ')${KEY_CHARS}'`, 'g'), "$1•'")
    .replace(new RegExp(`(\\bdtmf\\s+)${KEY_CHARS}(?=\\s|$)`, 'g'), '$1•')
    .replace(new RegExp(`(\\bsndcode\\s+)${KEY_CHARS}+`, 'g'), '$1•');
}

let logCount = 0;

/** `<logDir>/<name>-<pid of this test process>-<n>.log`: one file per phone process. */
export function phoneLogFile(logDir: string, name: string): string {
  logCount += 1;
  return join(logDir, `${name}-${process.pid}-${logCount}.log`);
}

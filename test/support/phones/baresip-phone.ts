/**
 * baresip (Debian `baresip-core`, 1.0.0) as the customer's phone, driven over its `ctrl_tcp` module
 * (netstring-framed JSON on a loopback TCP port): `dial`, `sndcode`, `hangup`; call events
 * (CALL_ESTABLISHED, CALL_CLOSED) come back on the same connection.
 *
 * No sound card: the microphone is the `aufile` module reading a WAV written for each call
 * (phone.ts `micSignal`), the speaker and the alert device are `aubridge` (a loop nobody reads).
 * PCMU only; baresip always offers telephone-event/8000 (PT 101).
 *
 * DTMF modes:
 * - `rfc4733`: each key is `sndcode <key>` at its time; baresip's telephone-event sender (libre
 *   telev) sends each event for at least 180 ms plus three end packets, so keys cannot come faster
 *   than one per 240 ms (`minInterKeyMs` 250).
 * - `inband`: baresip 1.0.0 has no in-band DTMF generator (no `dtmfmode` account parameter; a key
 *   always goes out as RFC 4733). The keys' tones are in the WAV its microphone plays (100 ms each,
 *   −16 dBFS per tone), so baresip sends them as audio — while still offering telephone-event, as a
 *   phone that plays tones into its microphone does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBaresipConfig } from './baresip-config.js';
import {
  type CallPlan,
  type CallRecord,
  PHONE_LOG_DIR,
  type Phone,
  PhoneError,
  type PhoneOptions,
  sleep,
} from './phone.js';
import { phoneLogFile, redactKeyLine } from './phone-logs.js';
import { freePhonePorts } from './phone-ports.js';
import { PhoneProcess } from './phone-process.js';
import { micSignal, wavBytes } from './phone-sound.js';

/** libre's telev: an event lasts ≥ 9 packets of 20 ms, then 3 end packets. */
const BARESIP_RFC4733_MIN_INTER_KEY_MS = 250;

interface CtrlMessage {
  response?: boolean;
  event?: boolean;
  ok?: boolean;
  data?: string;
  token?: string;
  type?: string;
  param?: string;
}

/** A ctrl_tcp connection: netstrings `<len>:<json>,` both ways. */
export class CtrlTcp {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #token = 0;
  readonly #pending = new Map<string, (message: CtrlMessage) => void>();
  readonly #eventListeners = new Set<(message: CtrlMessage) => void>();
  readonly events: CtrlMessage[] = [];

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
  }

  static async connect(port: number, alive: () => boolean, timeoutMs = 5000): Promise<CtrlTcp> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(port, '127.0.0.1', () => {
            s.off('error', reject);
            resolve(s);
          });
          s.once('error', reject);
        });
        return new CtrlTcp(socket);
      } catch (error) {
        if (!alive())
          throw new PhoneError('baresip exited before its ctrl_tcp port opened', { cause: error });
        if (Date.now() > deadline) {
          throw new PhoneError(`baresip's ctrl_tcp 127.0.0.1:${port} did not open in ${timeoutMs} ms`, {
            cause: error,
          });
        }
        await sleep(50);
      }
    }
  }

  /** Runs a long command; rejects when baresip answers not ok or not within `timeoutMs`. */
  command(command: string, params = '', timeoutMs = 5000): Promise<CtrlMessage> {
    this.#token += 1;
    const token = `t${this.#token}`;
    const json = JSON.stringify({ command, params, token });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(token);
        reject(new PhoneError(`baresip: no answer to '${command}' in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(token, (message) => {
        clearTimeout(timer);
        if (message.ok === false)
          reject(new PhoneError(`baresip: '${command}' failed: ${message.data ?? ''}`));
        else resolve(message);
      });
      this.#socket.write(`${Buffer.byteLength(json)}:${json},`);
    });
  }

  /** The first event of one of `types` (also one already received since `since`). */
  waitForEvent(types: readonly string[], timeoutMs: number, since = 0): Promise<CtrlMessage> {
    const seen = this.events.slice(since).find((event) => types.includes(event.type ?? ''));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#eventListeners.delete(listener);
        reject(new PhoneError(`baresip: none of ${types.join(', ')} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (event: CtrlMessage) => {
        if (!types.includes(event.type ?? '')) return;
        clearTimeout(timer);
        this.#eventListeners.delete(listener);
        resolve(event);
      };
      this.#eventListeners.add(listener);
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const colon = this.#buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.#buffer.subarray(0, colon).toString('ascii'));
      if (!Number.isInteger(length) || length < 0) {
        this.#buffer = Buffer.alloc(0);
        return;
      }
      if (this.#buffer.length < colon + 1 + length + 1) return;
      const body = this.#buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(colon + 1 + length + 1);
      let message: CtrlMessage;
      try {
        message = JSON.parse(body) as CtrlMessage;
      } catch {
        continue;
      }
      if (message.response && message.token) {
        this.#pending.get(message.token)?.(message);
        this.#pending.delete(message.token);
      } else if (message.event) {
        this.events.push(message);
        for (const listener of [...this.#eventListeners]) listener(message);
      }
    }
  }
}

/** baresip's status line (`[0:00:01] audio=64586/0 (bit/s)`), printed every few ms: not logged. */
export const STATUS_LINE = /^\s*\[\d+:\d\d:\d\d\]\s+audio=/;

/** The config lines for SIP over TLS (PhoneOptions.secure), none without. */
function secureConfig(secure: PhoneOptions['secure']): string[] {
  return secure ? [`sip_cafile ${secure.caFile}`] : [];
}

/** The SRTP module PhoneOptions.secure asks for, none without. */
function secureModules(secure: PhoneOptions['secure']): string[] {
  if (!secure) return [];
  return [secure.srtp === 'sdes' ? 'module srtp.so' : 'module dtls_srtp.so'];
}

/** The account: PCMU, no registration; with `secure`, TLS and SRTP required on the call. */
function accountLine(address: string, secure: PhoneOptions['secure']): string {
  if (!secure) return `<sip:customer@${address}>;regint=0;audio_codecs=PCMU`;
  const mediaenc = secure.srtp === 'sdes' ? 'srtp-mand' : 'dtls_srtp';
  return `<sip:customer@${address};transport=tls>;regint=0;audio_codecs=PCMU;mediaenc=${mediaenc}`;
}

export async function startBaresip(options: PhoneOptions): Promise<Phone> {
  const address = options.address ?? '127.0.0.11';
  if (address === '127.0.0.2') throw new PhoneError('127.0.0.2 is the PBX/agent side, not a customer');
  const dir = mkdtempSync(join(tmpdir(), 'tonewall-baresip-'));
  const micFile = join(dir, 'mic.wav');
  const base = freePhonePorts(3);
  const rtpPort = base;
  const sipPort = base + 2;
  const ctrlPort = await writeBaresipConfig(dir, {
    address,
    sipPort,
    transport: options.secure ? 'tls' : 'udp',
    rtpPort,
    micFile,
    // the media encryption module before account.so: an account naming one needs it loaded
    modules: secureModules(options.secure),
    extra: secureConfig(options.secure),
  });
  // No registration (regint=0): the phone calls Kamailio's address directly.
  writeFileSync(join(dir, 'accounts'), `${accountLine(address, options.secure)}\n`);
  const logFile = phoneLogFile(options.logDir ?? PHONE_LOG_DIR, `${options.name}-baresip-${options.mode}`);
  let proc: PhoneProcess;
  try {
    proc = await PhoneProcess.start({
      command: 'baresip',
      args: ['-f', dir],
      cwd: dir,
      logFile,
      filterLine: (line) => (STATUS_LINE.test(line) ? null : redactKeyLine(line)),
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let ctrl: CtrlTcp | undefined;
  const stop = async () => {
    ctrl?.close();
    await proc.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    ctrl = await CtrlTcp.connect(ctrlPort, () => proc.running);
  } catch (error) {
    await stop();
    throw error;
  }
  const control = ctrl;
  const minInterKeyMs = options.mode === 'rfc4733' ? BARESIP_RFC4733_MIN_INTER_KEY_MS : 0;

  return {
    kind: 'baresip',
    mode: options.mode,
    address,
    pid: proc.pid,
    logFile,
    rtpPort,
    minInterKeyMs,
    async call(plan: CallPlan): Promise<CallRecord> {
      if (plan.interKeyMs < minInterKeyMs) {
        throw new PhoneError(
          `baresip keys RFC 4733 at most every ${minInterKeyMs} ms, asked ${plan.interKeyMs}`,
        );
      }
      const mic = micSignal(plan.keys, {
        leadMs: plan.leadMs ?? 1000,
        tailMs: plan.tailMs ?? 1000,
        interKeyMs: plan.interKeyMs,
        inBand: options.mode === 'inband',
      });
      // aufile loads the whole file when the call's audio starts (at the answer) and stops at its end
      writeFileSync(micFile, wavBytes(mic.pcm));
      const since = control.events.length;
      await control.command('dial', plan.uri);
      const answer = await control.waitForEvent(
        ['CALL_ESTABLISHED', 'CALL_CLOSED'],
        plan.answerTimeoutMs ?? 10_000,
        since,
      );
      if (answer.type !== 'CALL_ESTABLISHED')
        throw new PhoneError(`baresip: call not answered: ${answer.param ?? ''}`);
      const answeredAt = Date.now();
      const pressedAt: number[] = [];
      const keys = [...plan.keys];
      for (const [i, key] of keys.entries()) {
        const due = answeredAt + (mic.keyAtMs[i] ?? 0);
        await sleep(Math.max(0, due - Date.now()));
        pressedAt.push(Date.now());
        if (options.mode === 'rfc4733') await control.command('sndcode', key);
      }
      await sleep(Math.max(0, answeredAt + mic.durationMs - Date.now()));
      const closedSince = control.events.length;
      await control.command('hangup');
      await control.waitForEvent(['CALL_CLOSED'], 5000, closedSince);
      return { answeredAt, pressedAt, endedAt: Date.now() };
    },
    stop,
  };
}

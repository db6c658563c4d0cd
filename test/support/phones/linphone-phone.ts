/**
 * Linphone (Debian `linphone-cli`, liblinphone 5.1.65) as the customer's phone: `linphone-daemon`
 * from that package, driven through its command interface on stdin (`call`, `dtmf`, `terminate`,
 * `quit`; each answered with `Status: Ok|Error`, call states printed as `Event: LinphoneCall…`).
 *
 * Why the daemon and not `linphonec` (same package): linphonec sends the keys of a line one by one
 * with `ms_sleep(1)` between them (console/commands.c), so a key takes a whole second (measured:
 * 1000 ms from key to key) and a 43-key payment 43 s. The daemon's `dtmf` command sends one key at
 * once and the test chooses the timing.
 *
 * No sound card: liblinphone's `rtp_io` mode ([sound] rtp_io=1) takes the microphone from an RTP
 * stream on a loopback port and plays the speaker to another one. This file feeds that microphone
 * (PCMU, 20 ms frames, paced) with phone.ts `micSignal` (voice, silence under the keys, voice) and
 * drops the speaker. (The Debian build has only an ALSA card; ALSA's `null` device gives
 * mediastreamer's capture no clock and no packet leaves. The daemon cannot select linphonec's
 * "use files" mode.)
 *
 * DTMF modes (PCMU in both):
 * - `rfc4733`: [sip] use_rfc2833=1; liblinphone sends each key as a 100 ms telephone-event. The SIPp
 *   agent answers telephone-event with the fixed PT 101, and liblinphone numbers its first
 *   telephone-event dynamically (96) and only later ones with [misc] telephone_event_pt (101), so
 *   speex/16000 is offered first: its telephone-event/16000 takes 96, telephone-event/8000 gets 101.
 *   (A PBX that answers with the offered PT needs none of this.)
 * - `inband`: [sip] use_rfc2833=0 and use_info=0: no telephone-event offered, and mediastreamer's
 *   DTMF generator puts each key into the audio as a 100 ms tone pair (measured −16.6 dBFS per tone).
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodePcmu } from '../media/g711.js';
import { buildRtpPacket, PAYLOAD_TYPE_PCMU } from '../media/rtp.js';
import {
  type CallPlan,
  type CallRecord,
  freePhonePorts,
  micSignal,
  openDiscard,
  PHONE_LOG_DIR,
  type Phone,
  PhoneError,
  type PhoneOptions,
  PhoneProcess,
  phoneLogFile,
  redactKeyLine,
  sleep,
  voice,
} from './phone.js';

/** A key is a 100 ms event or tone; the next must not start before it ends. */
const LINPHONE_MIN_INTER_KEY_MS = 120;
const FRAME_SAMPLES = 160;

/**
 * The phone's microphone: PCMU frames every 20 ms, paced from the start (no drift), to the daemon's
 * rtp_io port. Voice until `play()`, then the given signal from the given moment, then voice again.
 */
class Microphone {
  readonly #socket: Socket;
  readonly #to: { address: string; port: number };
  readonly #voiceFrame = voice(20);
  readonly #ssrc = Math.floor(Math.random() * 0xffffffff);
  #signal: { pcm: Int16Array; startsAt: number } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  sent = 0;

  private constructor(socket: Socket, to: { address: string; port: number }) {
    this.#socket = socket;
    this.#to = to;
  }

  static async open(address: string, to: { address: string; port: number }): Promise<Microphone> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const mic = new Microphone(socket, to);
    mic.#run(performance.now());
    return mic;
  }

  /** Plays `pcm` from epoch ms `startsAt` on (voice before and after). */
  play(pcm: Int16Array, startsAt: number): void {
    this.#signal = { pcm, startsAt };
  }

  async close(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  #frame(): Int16Array {
    const signal = this.#signal;
    if (!signal) return this.#voiceFrame;
    const offset = Math.round(((Date.now() - signal.startsAt) * 8000) / 1000);
    if (offset < 0 || offset + FRAME_SAMPLES > signal.pcm.length) return this.#voiceFrame;
    // whole frames of the signal, aligned to its start
    const start = Math.floor(offset / FRAME_SAMPLES) * FRAME_SAMPLES;
    return signal.pcm.subarray(start, start + FRAME_SAMPLES);
  }

  #run(start: number): void {
    const tick = () => {
      if (this.#stopped) return;
      const bytes = buildRtpPacket({
        payloadType: PAYLOAD_TYPE_PCMU,
        sequenceNumber: this.sent & 0xffff,
        timestamp: (this.sent * FRAME_SAMPLES) >>> 0,
        ssrc: this.#ssrc,
        marker: this.sent === 0,
        payload: encodePcmu(this.#frame()),
      });
      this.#socket.send(bytes, this.#to.port, this.#to.address);
      this.sent += 1;
      this.#timer = setTimeout(tick, Math.max(0, start + this.sent * 20 - performance.now()));
    };
    tick();
  }
}

/** The daemon's answers and events, from its stdout lines. */
class DaemonConsole {
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

function linphonerc(o: {
  address: string;
  sipPort: number;
  rtpPort: number;
  micPort: number;
  speakerPort: number;
  rfc4733: boolean;
}): string {
  return `[sip]
sip_port=${o.sipPort}
sip_tcp_port=0
sip_tls_port=0
bind_address=${o.address}
contact=sip:customer@${o.address}
use_rfc2833=${o.rfc4733 ? 1 : 0}
use_info=0
guess_hostname=0
register_only_when_network_is_up=0
auto_net_state_mon=0
use_ipv6=0
media_encryption=none

[rtp]
audio_rtp_port=${o.rtpPort}
audio_jitt_comp=60

[net]
enable_ipv6=0

[sound]
echocancellation=0
rtp_io=1
rtp_local_addr=${o.address}
rtp_local_port=${o.micPort}
rtp_remote_addr=${o.address}
rtp_remote_port=${o.speakerPort}

[video]
enabled=0
capture=0
display=0
automatically_initiate=0
automatically_accept=0

[misc]
telephone_event_pt=101
`;
}

export async function startLinphone(options: PhoneOptions): Promise<Phone> {
  const address = options.address ?? '127.0.0.12';
  if (address === '127.0.0.2') throw new PhoneError('127.0.0.2 is the PBX/agent side, not a customer');
  const rfc4733 = options.mode === 'rfc4733';
  const home = mkdtempSync(join(tmpdir(), 'tonewall-linphone-'));
  // liblinphone keeps its database there; without the directory it logs an error per start
  mkdirSync(join(home, '.local', 'share', 'linphone'), { recursive: true });
  const base = freePhonePorts(6);
  const ports = { rtpPort: base, sipPort: base + 2, micPort: base + 3, speakerPort: base + 4 };
  const config = join(home, 'linphonerc');
  writeFileSync(config, linphonerc({ address, ...ports, rfc4733 }));
  const logFile = phoneLogFile(options.logDir ?? PHONE_LOG_DIR, `${options.name}-linphone-${options.mode}`);
  const speaker = await openDiscard(address, ports.speakerPort);
  let proc: PhoneProcess;
  try {
    proc = await PhoneProcess.start({
      command: 'linphone-daemon',
      args: ['--config', config],
      // HOME: its database, zrtp cache and friends go to the temporary directory
      env: { ...process.env, HOME: home },
      cwd: home,
      logFile,
      filterLine: redactKeyLine,
    });
  } catch (error) {
    await speaker.close();
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  let mic: Microphone | undefined;
  const stop = async () => {
    if (proc.running) {
      try {
        proc.writeLine('quit');
        await Promise.race([proc.exit, sleep(3000)]);
      } catch {
        // not running any more
      }
    }
    await proc.kill();
    await mic?.close();
    await speaker.close();
    rmSync(home, { recursive: true, force: true });
  };
  const daemon = new DaemonConsole(proc);
  try {
    await daemon.command('audio-codec-disable ALL', 10_000);
    await daemon.command('audio-codec-enable PCMU/8000/1');
    if (rfc4733) {
      await daemon.command('audio-codec-enable speex/16000/1');
      await daemon.command('audio-codec-move speex/16000/1 0');
    }
    mic = await Microphone.open(address, { address, port: ports.micPort });
  } catch (error) {
    await stop();
    throw error;
  }
  const microphone = mic;

  return {
    kind: 'linphone',
    mode: options.mode,
    address,
    pid: proc.pid,
    logFile,
    rtpPort: ports.rtpPort,
    minInterKeyMs: LINPHONE_MIN_INTER_KEY_MS,
    async call(plan: CallPlan): Promise<CallRecord> {
      if (plan.interKeyMs < LINPHONE_MIN_INTER_KEY_MS) {
        throw new PhoneError(
          `linphone keys at most every ${LINPHONE_MIN_INTER_KEY_MS} ms, asked ${plan.interKeyMs}`,
        );
      }
      const signal = micSignal(plan.keys, {
        leadMs: plan.leadMs ?? 1000,
        tailMs: plan.tailMs ?? 1000,
        interKeyMs: plan.interKeyMs,
        inBand: false, // linphone makes its own tones in in-band mode
      });
      const since = daemon.states.length;
      await daemon.command(`call ${plan.uri}`);
      const state = await daemon.waitForState(
        ['LinphoneCallStreamsRunning', 'LinphoneCallError', 'LinphoneCallEnd', 'LinphoneCallReleased'],
        plan.answerTimeoutMs ?? 10_000,
        since,
      );
      if (state !== 'LinphoneCallStreamsRunning')
        throw new PhoneError(`linphone: call not answered (${state})`);
      const answeredAt = Date.now();
      microphone.play(signal.pcm, answeredAt);
      const pressedAt: number[] = [];
      for (const [i, key] of [...plan.keys].entries()) {
        const due = answeredAt + (signal.keyAtMs[i] ?? 0);
        await sleep(Math.max(0, due - Date.now()));
        pressedAt.push(Date.now());
        await daemon.command(`dtmf ${key}`);
      }
      await sleep(Math.max(0, answeredAt + signal.durationMs - Date.now()));
      const endSince = daemon.states.length;
      await daemon.command('terminate');
      await daemon.waitForState(['LinphoneCallEnd', 'LinphoneCallReleased'], 5000, endSince);
      return { answeredAt, pressedAt, endedAt: Date.now() };
    },
    stop,
  };
}

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
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DaemonConsole } from './linphone-daemon.js';
import { Microphone } from './linphone-microphone.js';
import { linphonerc } from './linphonerc.js';
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
import { micSignal, openDiscard } from './phone-sound.js';

/** A key is a 100 ms event or tone; the next must not start before it ends. */
const LINPHONE_MIN_INTER_KEY_MS = 120;

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

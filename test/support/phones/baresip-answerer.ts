/**
 * baresip as the far end of a leg that tonewall offers DTLS-SRTP: the PBX (TONEWALL_PBX_SRTP=dtls,
 * where Kamailio sends inbound calls: 127.0.0.2:5080) or the carrier of an outbound call
 * (TONEWALL_CARRIER_SRTP=dtls, 127.0.0.3:5080). It answers at once (`answermode=auto`; the request
 * URI's user must be `user`) and takes only DTLS-SRTP media (`mediaenc=dtls_srtp`: it does the
 * handshake with the rtpengine facing it and decrypts). What it hears,
 * decoded, is written by baresip's `sndfile` filter to `dump-…-dec.wav` (`decodedPcm()`); the RFC 4733
 * events it received come back as CALL_DTMF_START events on `ctrl_tcp` (`dtmfEvents()`). Its own
 * microphone is silence. Never used by the product.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silence } from '../media/signal.js';
import { writeBaresipConfig } from './baresip-config.js';
import { CtrlTcp, STATUS_LINE } from './baresip-phone.js';
import { PHONE_LOG_DIR } from './phone.js';
import { phoneLogFile, redactKeyLine } from './phone-logs.js';
import { freePhonePorts } from './phone-ports.js';
import { PhoneProcess } from './phone-process.js';
import { wavBytes } from './phone-sound.js';

export interface AnswererOptions {
  name: string;
  /** SIP and media address and port: the PBX 127.0.0.2:5080, the carrier 127.0.0.3:5080. */
  address: string;
  port: number;
  /** The request URI's user it answers (`agent` from the suite's phones, `1000` from SIPp). */
  user: string;
}

export interface BaresipAnswerer {
  readonly logFile: string;
  /** Resolves when baresip has a call up (CALL_ESTABLISHED). */
  established(timeoutMs: number): Promise<void>;
  /** Resolves when the call has ended (CALL_CLOSED). */
  closed(timeoutMs: number): Promise<void>;
  /** Everything baresip decoded from the call's media (8 kHz mono), empty before any audio. */
  decodedPcm(): Int16Array;
  /** RFC 4733 events baresip received (each key once, at its start). */
  dtmfEvents(): number;
  stop(): Promise<void>;
}

/** The samples of a 16-bit PCM WAV file (the `data` chunk). */
function wavSamples(bytes: Buffer): Int16Array {
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'data') {
      // a file still open says 0 (libsndfile writes the size when it closes it)
      const available = bytes.length - offset - 8;
      const length = (size === 0 ? available : Math.min(size, available)) >> 1;
      const samples = new Int16Array(length);
      for (let i = 0; i < length; i += 1) samples[i] = bytes.readInt16LE(offset + 8 + i * 2);
      return samples;
    }
    offset += 8 + size + (size & 1);
  }
  return new Int16Array(0);
}

export async function startBaresipAnswerer(options: AnswererOptions): Promise<BaresipAnswerer> {
  const { address, port, user } = options;
  const dir = mkdtempSync(join(tmpdir(), 'tonewall-baresip-answerer-'));
  const soundDir = join(dir, 'sound');
  mkdirSync(soundDir);
  const micFile = join(dir, 'mic.wav');
  writeFileSync(micFile, wavBytes(silence(120_000)));
  const rtpPort = freePhonePorts(2);
  const ctrlPort = await writeBaresipConfig(dir, {
    address,
    sipPort: port,
    transport: 'udp',
    rtpPort,
    micFile,
    // what it hears, decoded, into soundDir (the filter records every call's audio)
    modules: ['module sndfile.so', `snd_path ${soundDir}`, 'module dtls_srtp.so'],
  });
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:${user}@${address}:${port}>;regint=0;audio_codecs=PCMU;mediaenc=dtls_srtp;answermode=auto\n`,
  );
  const logFile = phoneLogFile(PHONE_LOG_DIR, `${options.name}-baresip-answerer`);
  const proc = await PhoneProcess.start({
    command: 'baresip',
    args: ['-f', dir],
    cwd: dir,
    logFile,
    filterLine: (line) => (STATUS_LINE.test(line) ? null : redactKeyLine(line)),
  }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  let ctrl: CtrlTcp;
  try {
    ctrl = await CtrlTcp.connect(ctrlPort, () => proc.running);
  } catch (error) {
    await proc.kill();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    logFile,
    async established(timeoutMs) {
      await ctrl.waitForEvent(['CALL_ESTABLISHED'], timeoutMs);
    },
    async closed(timeoutMs) {
      await ctrl.waitForEvent(['CALL_CLOSED'], timeoutMs);
    },
    decodedPcm() {
      const file = readdirSync(soundDir).find((name) => name.endsWith('-dec.wav'));
      return file ? wavSamples(readFileSync(join(soundDir, file))) : new Int16Array(0);
    },
    dtmfEvents: () => ctrl.events.filter((event) => event.type === 'CALL_DTMF_START').length,
    async stop() {
      ctrl.close();
      await proc.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

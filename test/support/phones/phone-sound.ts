/** A phone's sound (phone.ts): the microphone's signal (voice, keys, voice), as WAV, and a speaker that drops it. */
import { createSocket } from 'node:dgram';
import { dtmfTone, parseDtmfDigits } from '../media/dtmf-tone.js';
import { concatPcm, silence, sines } from '../media/signal.js';
import { INBAND_TONE_DBFS, INBAND_TONE_MS, VOICE_DBFS, VOICE_HZ } from './phone.js';

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

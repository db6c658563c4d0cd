/**
 * Linphone's microphone (linphone-phone.ts): liblinphone's `rtp_io` mode takes it from an RTP stream
 * on a loopback port; this sends that stream.
 */
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { encodePcmu } from '../media/g711.js';
import { buildRtpPacket, PAYLOAD_TYPE_PCMU } from '../media/rtp.js';
import { voice } from './phone-sound.js';

const FRAME_SAMPLES = 160;

/**
 * The phone's microphone: PCMU frames every 20 ms, paced from the start (no drift), to the daemon's
 * rtp_io port. Voice until `play()`, then the given signal from the given moment, then voice again.
 */
export class Microphone {
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

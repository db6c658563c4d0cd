/**
 * A sampled call's agent, played by the bench instead of SIPp: one loopback UDP socket that records
 * every RTP packet the agent receives (for the leak check) and, from the same socket (rtpengine
 * latches onto the sender), talks back with PCMU audio to wherever the customer's media comes from.
 * The bench runs these on its agent media thread (agent-media-worker.ts).
 */
import { createSocket, type Socket } from 'node:dgram';
import { parseRtpPacket } from '../../test/support/media/rtp.js';
import { analyseRtpDtmf, type RtpRecord, telephoneEventsOf } from '../../test/support/media/rtp-analysis.js';
import { buildPcmuRtpStream } from '../../test/support/media/rtp-stream.js';
import { sines } from '../../test/support/media/signal.js';

/** What the agent of a sampled call received. */
export interface AgentLeakReport {
  readonly packets: number;
  /** telephone-events carrying a digit (payload type 101, as the agent's SDP answers). */
  readonly digitEvents: number;
  /** ms of DTMF the Goertzel detector finds in the decoded PCMU. */
  readonly toneMs: number;
  /** How many digits the detector made out (never which). */
  readonly detectedDigits: number;
  /** Loudest DTMF frequency over the call, dBFS. */
  readonly maxDtmfLevelDbfs: number;
}

/** 20 ms frames of a 440 Hz tone at −20 dBFS: the agent speaking (no DTMF frequency). */
const VOICE_FRAMES = buildPcmuRtpStream(sines({ frequenciesHz: [440], levelDbfs: -20, durationMs: 1000 }), {
  ssrc: 0x6167656e,
}).map((packet) => packet.bytes);

export class AgentEndpoint {
  readonly #socket: Socket;
  readonly #records: RtpRecord[] = [];
  readonly #opened = performance.now();
  #peer: { address: string; port: number } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #sent = 0;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (bytes, remote) => {
      try {
        this.#records.push({ arrivalMs: performance.now() - this.#opened, packet: parseRtpPacket(bytes) });
      } catch {
        return;
      }
      if (!this.#peer) {
        this.#peer = { address: remote.address, port: remote.port };
        this.#timer = setInterval(() => this.#talk(), 20);
      }
    });
  }

  static async open(address: string): Promise<AgentEndpoint> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new AgentEndpoint(socket);
  }

  get port(): number {
    return this.#socket.address().port;
  }

  /** Stops talking (the call ended); what was received stays for the report. */
  hangUp(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  report(): AgentLeakReport {
    const dtmf = analyseRtpDtmf(this.#records);
    return {
      packets: this.#records.length,
      digitEvents: telephoneEventsOf(this.#records, 101).filter((event) => event.digit !== null).length,
      toneMs: dtmf.toneMs,
      detectedDigits: dtmf.digitString.length,
      maxDtmfLevelDbfs: Math.round(dtmf.maxDtmfLevelDbfs * 10) / 10,
    };
  }

  close(): Promise<void> {
    this.hangUp();
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }

  #talk(): void {
    const peer = this.#peer;
    if (!peer) return;
    // renumber the loop's frames so sequence and timestamp keep rising
    const frame = Buffer.from(VOICE_FRAMES[this.#sent % VOICE_FRAMES.length] as Buffer);
    frame.writeUInt16BE((1000 + this.#sent) & 0xffff, 2);
    frame.writeUInt32BE((160_000 + this.#sent * 160) >>> 0, 4);
    this.#sent += 1;
    this.#socket.send(frame, peer.port, peer.address);
  }
}

/**
 * A call's agent media, played by the bench (SIPp answers the call's SIP): one loopback UDP socket
 * that records every RTP packet the agent receives (for the leak check) and, from the same socket
 * (rtpengine latches onto the sender), talks back with PCMU audio to wherever the customer's media
 * comes from, one frame per `talk()` (the media thread's shared 20 ms tick). The bench runs one per
 * call on its agent media thread (agent-media-worker.ts).
 */
import { createSocket, type Socket } from 'node:dgram';
import { parseRtpPacket } from '../../test/support/media/rtp.js';
import { analyseRtpDtmf, type RtpRecord, telephoneEventsOf } from '../../test/support/media/rtp-analysis.js';
import { buildPcmuRtpStream } from '../../test/support/media/rtp-stream.js';
import { sines } from '../../test/support/media/signal.js';

/** What the agent of a call received. */
export interface AgentLeakReport {
  /** The endpoint's port (the agent's SDP). */
  readonly port: number;
  readonly packets: number;
  /** Datagrams the kernel dropped at this socket (its receive buffer was full): missed by the check. */
  readonly drops: number;
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
  #talking = true;
  #sent = 0;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (bytes, remote) => {
      try {
        this.#records.push({ arrivalMs: performance.now() - this.#opened, packet: parseRtpPacket(bytes) });
      } catch {
        return;
      }
      this.#peer ??= { address: remote.address, port: remote.port };
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
    this.#talking = false;
  }

  /** `drops`: what the kernel says it dropped at this socket (read by the media thread before closing). */
  report(drops: number): AgentLeakReport {
    const records = this.#records;
    const dtmf = analyseRtpDtmf(records);
    const report: AgentLeakReport = {
      port: this.port,
      packets: records.length,
      drops,
      digitEvents: telephoneEventsOf(records, 101).filter((event) => event.digit !== null).length,
      toneMs: dtmf.toneMs,
      detectedDigits: dtmf.digitString.length,
      maxDtmfLevelDbfs: Math.round(dtmf.maxDtmfLevelDbfs * 10) / 10,
    };
    // a load's calls are analysed one after another: let this one's packets go
    records.length = 0;
    return report;
  }

  close(): Promise<void> {
    this.hangUp();
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }

  /** Sends the agent's next 20 ms frame, once the customer's media has come in. */
  talk(): void {
    const peer = this.#peer;
    if (!peer || !this.#talking) return;
    // renumber the loop's frames so sequence and timestamp keep rising
    const frame = Buffer.from(VOICE_FRAMES[this.#sent % VOICE_FRAMES.length] as Buffer);
    frame.writeUInt16BE((1000 + this.#sent) & 0xffff, 2);
    frame.writeUInt32BE((160_000 + this.#sent * 160) >>> 0, 4);
    this.#sent += 1;
    this.#socket.send(frame, peer.port, peer.address);
  }
}

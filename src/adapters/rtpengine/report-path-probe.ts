import { randomBytes, randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { Timers } from '../../application/clock.js';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { NgClient } from './ng-client.js';
import type { NgDictionary } from './ng-codec.js';
import { mediaAddressOf, probeKeyPackets, probeSdp } from './probe-rtp.js';

/** Call-IDs of probe calls start with this; their reports are the probe's, never routed as a customer's. */
export const PROBE_CALL_ID_PREFIX = 'tonewall-report-probe-';

/** How long after its call a probe's report is still the probe's. */
const LATE_REPORT_MS = 5_000;

export interface ReportPathResult {
  readonly hop: string;
  /** Keys sent until one's report arrived (2 when rtpengine had a report to shed first). */
  readonly keysSent: number;
}

export interface ProbedHop {
  /** A name for logs: `edge` or `mask`. */
  readonly name: string;
  readonly ng: NgClient;
  /** The `block DTMF` this hop gets at answer (Kamailio's), so the probe's key takes the real path. */
  readonly block: NgDictionary;
}

/** The mask hop's `block DTMF`, as Kamailio gives it at answer (TONEWALL_BLOCK_DTMF_FLAGS). */
export function maskHopBlock(delayBufferMs: number): NgDictionary {
  return { 'DTMF-security': 'silence', 'delay-buffer': delayBufferMs, flags: ['detect-DTMF'] };
}

/**
 * The edge's `block DTMF` for a customer whose SDP has telephone-event, as Kamailio gives it at answer
 * (TONEWALL_EDGE_BLOCK_DTMF_FLAGS): rendered and blanked with a short delay buffer, or dropped (0).
 * The probe's calls offer telephone-event, so this is the block their keys meet.
 */
export function edgeHopBlock(delayBufferMs: number): NgDictionary {
  return delayBufferMs > 0 ? { 'DTMF-security': 'silence', 'delay-buffer': delayBufferMs } : {};
}

export interface ReportingHopsOptions {
  readonly edge: NgClient;
  readonly mask: NgClient;
  readonly edgeDelayBufferMs: number;
  readonly maskDelayBufferMs: number;
}

/**
 * The two hops that report keys, as Kamailio blocks them at answer: the edge takes events out, the
 * mask hop silences tones. (The mute hop reports nothing: no event reaches it.)
 */
export function reportingHops(options: ReportingHopsOptions): ProbedHop[] {
  return [
    { name: 'edge', ng: options.edge, block: edgeHopBlock(options.edgeDelayBufferMs) },
    { name: 'mask', ng: options.mask, block: maskHopBlock(options.maskDelayBufferMs) },
  ];
}

export interface ReportPathProbeOptions {
  hops: readonly ProbedHop[];
  timers: Timers;
  logger: Logger;
  /** How long to wait for each key's report after its last packet. Default 500 ms. */
  reportTimeoutMs?: number;
  /** Keys to try before giving up. Default 3. */
  attempts?: number;
}

/**
 * Proves that one rtpengine's DTMF reports reach this process: a call of its own between two loopback
 * sockets (NG offer, answer, the hop's block), one RFC 4733 key at a time, its report awaited.
 *
 * It also sheds a report rtpengine would otherwise lose. rtpengine 10.5 sends reports on a
 * *connected* UDP socket (daemon/dtmf.c): after a report was sent while nothing listened (the gateway
 * stopped, restarting), the kernel keeps the ICMP "port unreachable" and fails the *next* send with
 * ECONNREFUSED. Without the probe that next report is the first key of the next payment. So the gateway
 * probes each hop when its listener starts: the probe's first key takes the loss, the second arrives.
 */
export class ReportPathProbe {
  readonly #options: ReportPathProbeOptions;
  readonly #waiting = new Map<string, () => void>();
  /** This probe's calls: placed, and not ended more than a few seconds ago. */
  readonly #calls = new Set<string>();
  #retry: { cancel(): void } | undefined;
  #stopped = false;

  constructor(options: ReportPathProbeOptions) {
    this.#options = options;
  }

  /**
   * True (and the report consumed) when a report belongs to a probe call this probe has placed and
   * not yet ended, or ended in the last few seconds (a late report). A customer's call whose Call-ID
   * merely looks like a probe's is routed as any other.
   */
  claims(sipCallId: string): boolean {
    if (!this.#calls.has(sipCallId)) return false;
    this.#waiting.get(sipCallId)?.();
    return true;
  }

  /**
   * Probes every hop now and, while one fails (rtpengine not up yet, reports going elsewhere), again
   * every `retryMs` until it passes; each outcome is logged. Resolves when the first round has ended
   * or after `waitMs`, whichever is first (the retries go on); `stop()` ends them.
   */
  start(options: { retryMs?: number; waitMs?: number } = {}): Promise<void> {
    const retryMs = options.retryMs ?? 30_000;
    const probeAll = async () => {
      const failed: ProbedHop[] = [];
      await Promise.all(
        this.#options.hops.map(async (hop) => {
          try {
            const result = await this.run(hop);
            this.#options.logger.info(
              { hop: result.hop, keysSent: result.keysSent },
              result.keysSent > 1
                ? 'DTMF report path checked: the probe key shed a report rtpengine had lost'
                : 'DTMF report path checked',
            );
          } catch (error) {
            failed.push(hop);
            this.#options.logger.warn(
              { err: error, hop: hop.name },
              'DTMF report path check failed; retrying',
            );
          }
        }),
      );
      if (failed.length > 0 && !this.#stopped) {
        this.#retry = this.#options.timers.set(retryMs, () => void probeAll());
      }
    };
    return new Promise<void>((resolve) => {
      const waited = this.#options.timers.set(options.waitMs ?? 2000, resolve);
      void probeAll().then(() => {
        waited.cancel();
        resolve();
      });
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#retry?.cancel();
  }

  /** Runs one probe call; rejects with GW_ERR_DTMF_REPORT_PATH when no key's report came back. */
  async run(probed: ProbedHop): Promise<ReportPathResult> {
    const { ng, name: hop } = probed;
    const callId = `${PROBE_CALL_ID_PREFIX}${hop}-${randomLetters(12)}`;
    this.#calls.add(callId);
    const [caller, callee] = await Promise.all([openSocket(), openSocket()]);
    const callerTag = `probe-caller-${randomLetters(8)}`;
    const calleeTag = `probe-callee-${randomLetters(8)}`;
    const flags = {
      replace: ['origin', 'session-connection'],
      ICE: 'remove',
      'transport-protocol': 'RTP/AVP',
    };
    try {
      const sessionId = randomInt(1, 2 ** 31);
      await ng.request({
        command: 'offer',
        'call-id': callId,
        'from-tag': callerTag,
        sdp: probeSdp(caller.address().port, sessionId),
        ...flags,
      });
      const answer = await ng.request({
        command: 'answer',
        'call-id': callId,
        'from-tag': callerTag,
        'to-tag': calleeTag,
        sdp: probeSdp(callee.address().port, sessionId + 1),
        ...flags,
      });
      const target = typeof answer.sdp === 'string' ? mediaAddressOf(answer.sdp) : undefined;
      if (!target) throw new GatewayError('GW_ERR_NG_PROTOCOL', 'NG "answer" reply has no usable sdp');
      await ng.request({ command: 'block DTMF', 'call-id': callId, 'from-tag': callerTag, ...probed.block });
      const keysSent = await this.#keyUntilReported(hop, callId, caller, target);
      return { hop, keysSent };
    } catch (cause) {
      if (cause instanceof GatewayError && cause.code === 'GW_ERR_DTMF_REPORT_PATH') throw cause;
      throw new GatewayError('GW_ERR_DTMF_REPORT_PATH', `the ${hop} rtpengine could not run a probe call`, {
        cause,
        retryable: true,
      });
    } finally {
      await ng.request({ command: 'delete', 'call-id': callId }).catch(() => undefined);
      this.#options.timers.set(LATE_REPORT_MS, () => this.#calls.delete(callId));
      await Promise.all([closeSocket(caller), closeSocket(callee)]);
    }
  }

  async #keyUntilReported(
    hop: string,
    callId: string,
    caller: Socket,
    target: { host: string; port: number },
  ): Promise<number> {
    const { timers } = this.#options;
    const attempts = this.#options.attempts ?? 3;
    const ssrc = randomInt(1, 2 ** 31);
    let sequence = randomInt(0, 2 ** 15);
    let timestamp = randomInt(0, 2 ** 31);
    for (let keysSent = 1; keysSent <= attempts; keysSent += 1) {
      const pending: { cancel(): void }[] = [];
      const reported = new Promise<boolean>((resolve) => {
        this.#waiting.set(callId, () => resolve(true));
        const key = probeKeyPackets({ event: keysSent, sequence, timestamp, ssrc });
        sequence = key.nextSequence;
        timestamp = key.nextTimestamp;
        for (const packet of key.packets) {
          pending.push(timers.set(packet.atMs, () => caller.send(packet.bytes, target.port, target.host)));
        }
        const lastMs = key.packets.at(-1)?.atMs ?? 0;
        pending.push(timers.set(lastMs + (this.#options.reportTimeoutMs ?? 500), () => resolve(false)));
      });
      const arrived = await reported;
      // the key's trailing silence is not needed once its report is here (and the socket closes next)
      for (const timer of pending) timer.cancel();
      this.#waiting.delete(callId);
      if (arrived) return keysSent;
    }
    throw new GatewayError(
      'GW_ERR_DTMF_REPORT_PATH',
      `no DTMF report of the ${hop} rtpengine arrived for ${attempts} probe keys`,
      { retryable: true },
    );
  }
}

/**
 * Letters only: the probe's Call-ID and tags reach rtpengine's log, which the suite scans for keyed
 * digit strings; random hex there would now and then hold one.
 */
function randomLetters(count: number): string {
  return [...randomBytes(count)].map((byte) => String.fromCharCode(97 + (byte % 26))).join('');
}

async function openSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.on('error', () => undefined); // a probe socket's send error is a missing report, seen above
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return socket;
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}

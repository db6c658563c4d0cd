/**
 * Follows a payment's server-sent events as an agent's screen would receive them, noting when each
 * chunk arrived (wall clock, sub-ms). While the load runs it does nothing else with a chunk: node:http
 * over a keep-alive Agent of the load's own, no web streams, no decoding; the frames are parsed from
 * the stamped chunks when the stream ends (sse-frames.ts). Ends with the payment or when aborted.
 */
import { Agent, type IncomingMessage, request } from 'node:http';
import { type ReceivedFrame, type StampedChunk, sseFrames } from './sse-frames.js';

export type { ReceivedFrame } from './sse-frames.js';

export const wallClockMs = (): number => performance.timeOrigin + performance.now();

/** The connections of one load's streams: each stream holds its own socket for as long as it lasts. */
export function sseAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
}

export function followPayment(options: {
  baseUrl: string;
  apiKey: string;
  paymentId: string;
  agent: Agent;
  signal: AbortSignal;
}): Promise<ReceivedFrame[]> {
  const { paymentId, signal } = options;
  const chunks: StampedChunk[] = [];
  return new Promise<ReceivedFrame[]>((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      // aborted: the frames received so far are the result
      if (error && !signal.aborted) reject(error);
      else resolve(sseFrames(chunks));
    };
    const onAbort = () => {
      req.destroy();
      settle();
    };
    const req = request(new URL(`/v1/payments/${paymentId}/events`, options.baseUrl), {
      agent: options.agent,
      headers: { authorization: `Bearer ${options.apiKey}`, accept: 'text/event-stream' },
    });
    req.on('response', (response: IncomingMessage) => {
      if (response.statusCode !== 200) {
        response.resume();
        settle(new Error(`SSE for ${paymentId}: HTTP ${response.statusCode}`));
        return;
      }
      response.on('data', (bytes: Buffer) => {
        chunks.push({ receivedAt: wallClockMs(), bytes });
      });
      response.on('end', () => settle());
      response.on('error', (error) => settle(error));
    });
    req.on('error', (error) => settle(error));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    req.end();
  });
}

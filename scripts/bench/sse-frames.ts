/**
 * Turns the chunks of a payment's SSE stream, each stamped when it arrived, into frames. Pure: the
 * follower only stamps and keeps chunks while the load runs and this parses them afterwards.
 */
import { StringDecoder } from 'node:string_decoder';
import type { PaymentView } from '../../test/support/gateway-api.js';

/** A piece of the response body as the socket delivered it. */
export interface StampedChunk {
  /** Wall-clock ms (performance.timeOrigin + now) when the chunk reached the bench. */
  readonly receivedAt: number;
  readonly bytes: Uint8Array;
}

export interface ReceivedFrame {
  /** Arrival of the chunk that completed the frame: wall-clock ms, comparable with the gateway's `receivedAt`. */
  readonly receivedAt: number;
  readonly sequence: number;
  readonly view: PaymentView;
}

/**
 * The frames with data, in order; comments (`: keep-alive`) and a frame cut off by the end of the
 * stream are left out. A frame's `id:` is its sequence (-1 without one).
 */
export function sseFrames(chunks: readonly StampedChunk[]): ReceivedFrame[] {
  const decoder = new StringDecoder('utf8');
  const frames: ReceivedFrame[] = [];
  let buffer = '';
  for (const chunk of chunks) {
    buffer += decoder.write(chunk.bytes);
    let start = 0;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n', start)) {
      const frame = parseFrame(buffer.slice(start, end));
      if (frame) frames.push({ receivedAt: chunk.receivedAt, ...frame });
      start = end + 2;
    }
    buffer = buffer.slice(start);
  }
  return frames;
}

function parseFrame(text: string): { sequence: number; view: PaymentView } | undefined {
  let data: string | undefined;
  let sequence = -1;
  for (const line of text.split('\n')) {
    if (line.startsWith('data: ')) data = line.slice(6);
    else if (/^id: \d+$/.test(line)) sequence = Number(line.slice(4));
  }
  if (!data) return undefined;
  return { sequence, view: JSON.parse(data) as PaymentView };
}

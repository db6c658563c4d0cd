/**
 * Follows a payment's server-sent events and notes when each frame arrived (wall clock, sub-ms), as
 * an agent's screen would receive them. Ends with the payment or when aborted.
 */
import type { PaymentView } from '../../test/support/gateway-api.js';

export interface ReceivedFrame {
  /** Wall-clock ms (performance.timeOrigin + now), comparable with the gateway's `receivedAt`. */
  readonly receivedAt: number;
  readonly sequence: number;
  readonly view: PaymentView;
}

export const wallClockMs = (): number => performance.timeOrigin + performance.now();

export async function followPayment(options: {
  baseUrl: string;
  apiKey: string;
  paymentId: string;
  signal: AbortSignal;
}): Promise<ReceivedFrame[]> {
  const frames: ReceivedFrame[] = [];
  const response = await fetch(`${options.baseUrl}/v1/payments/${options.paymentId}/events`, {
    headers: { authorization: `Bearer ${options.apiKey}` },
    signal: options.signal,
  });
  if (!response.ok || !response.body)
    throw new Error(`SSE for ${options.paymentId}: HTTP ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body) {
      const receivedAt = wallClockMs();
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (!data) continue;
        const sequence = Number(/^id: (\d+)$/m.exec(frame)?.[1] ?? -1);
        frames.push({ receivedAt, sequence, view: JSON.parse(data) as PaymentView });
      }
    }
  } catch (error) {
    if (!options.signal.aborted) throw error;
  }
  return frames;
}

/**
 * A payment taken on a live call while watching what reaches the agent (capture-masking.test.ts,
 * real-phones-payment.test.ts): it starts once the agent has heard the customer, and the agent's
 * packet count is taken when the mute has settled and when the payment has ended.
 */
import type { GatewayApi, PaymentView } from './gateway-api.js';
import type { RtpSink } from './media/rtp-sink.js';

export interface MutedPayment {
  /** The payment as it ended (succeeded, failed or cancelled). */
  readonly done: PaymentView;
  /** Packets the agent had received once the mute settled (150 ms after the start). */
  readonly atMute: number;
  /** Packets the agent had received when the payment ended. */
  readonly atEnd: number;
}

export async function payWhileWatchingAgent(
  api: GatewayApi,
  sink: RtpSink,
  callId: string,
  timeoutMs: number,
): Promise<MutedPayment> {
  await sink.waitForPackets(1, 5000);
  const payment = await api.startPayment(callId, { securityCode: true });
  // the mute is one NG request; what was on its way through the mask hop's delay buffer drains
  await new Promise((resolve) => setTimeout(resolve, 150));
  const atMute = sink.records.length;
  const done = await api.waitForPayment(
    payment.id,
    (view) => view.status !== 'in-progress' && view.status !== 'processing',
    timeoutMs,
  );
  return { done, atMute, atEnd: sink.records.length };
}

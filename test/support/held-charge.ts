import type { CallHarness } from './call-harness.js';
import type { PlacedCall } from './call-types.js';
import { rfc4733Pcap } from './dtmf-pcap.js';
import { type GatewayApi, until } from './gateway-api.js';
import type { SandboxProcess } from './sandbox-process.js';

/** The sandbox's test card whose answer it holds (`hangMs`), then settles as charged. */
export const NO_ANSWER_CARD = '4000000000000101';
const EXPIRY = `12${String((new Date().getUTCFullYear() + 2) % 100).padStart(2, '0')}`;

/** The gateway settings of the charge fault tests: the sandbox on `sandboxPort`, short deadlines, fast reconciliation. */
export function heldChargeSettings(sandboxPort: number): Record<string, string> {
  return {
    TONEWALL_PROCESSOR_URL: `https://127.0.0.1:${sandboxPort}/v1/tokens`,
    TONEWALL_PROCESSOR_TIMEOUT_MS: '3000',
    TONEWALL_PROCESSOR_DEADLINE_MS: '10000',
    TONEWALL_RECONCILE_INTERVAL_MS: '500',
    TONEWALL_RECONCILE_NOTHING_AFTER_MS: '0',
  };
}

/**
 * A SIPp customer on a new call keys the no-answer card into a payment created with `body`; resolves
 * once the gateway says `processing` and the sandbox holds the request: the moment to kill the gateway.
 * `api` may be chosen by the call (a pair: the gateway of the call's media chain).
 */
export async function chargeHeldAtProcessor(parts: {
  harness: CallHarness;
  api: GatewayApi | ((call: PlacedCall) => Promise<GatewayApi>);
  sandbox: Pick<SandboxProcess, 'charges'>;
  body: Record<string, unknown>;
}): Promise<{ callId: string; paymentId: string; call: PlacedCall }> {
  const { harness, sandbox } = parts;
  const pcap = rfc4733Pcap(`${NO_ANSWER_CARD}#${EXPIRY}#`, {
    leadInMs: 1500,
    toneMs: 80,
    gapMs: 200,
    tailMs: 500,
  });
  const call = await harness.placeCall({ customer: { telephoneEvent: true, pcap, holdMs: 40_000 } });
  const api = typeof parts.api === 'function' ? await parts.api(call) : parts.api;
  const listed = await api.waitForCall(call.customer.sipCallId);
  const payment = await api.startPayment(listed.id, parts.body);
  await api.waitForPayment(payment.id, (view) => view.status === 'processing', 15_000);
  await until(
    'the processor to hold the request',
    5000,
    async () =>
      Object.values(await sandbox.charges()).some((count) => count.paymentId === payment.id) || undefined,
  );
  return { callId: listed.id, paymentId: payment.id, call };
}

// The demo call: a SIPp agent answers, a SIPp customer calls in and keys a sandbox test card as
// RFC 4733 events while the gateway takes a payment on the call. Prints the progress the agent sees,
// the outcome, and what reached the agent's ear. Run by `./scripts/tonewall demo` after `up`.
// With --by-hand the script does not start the payment: a person signed in to the agent desktop as
// the demo agent clicks "Take payment" within the first 25 s of the call, and the customer keys then.
// With --language TAG (es-ES, cy-GB …) the payment is in that language: the customer hears the
// prompts and the amount read back ("Va a pagar 10 libras …") in it, waits for the sentence, keys #.
// Exit status 0 the payment succeeded, 1 it did not, 2 usage; `-h`/`--help` prints the usage.
import { parseArgs } from 'node:util';
import { isLanguage, LANGUAGES, type Language } from '../src/domain/language/languages.js';
import { CallHarness } from '../test/support/call-harness.js';
import { rfc4733Pcap } from '../test/support/dtmf-pcap.js';
import { GatewayApi, type PaymentView } from '../test/support/gateway-api.js';

const USAGE =
  'usage: demo.ts [--by-hand | --language TAG]   (./scripts/tonewall demo-call)\nexit status: 0 the payment succeeded, 1 it did not, 2 usage';
let byHand = false;
let language: Language | undefined;
try {
  const { values } = parseArgs({
    options: {
      'by-hand': { type: 'boolean' },
      language: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  byHand = values['by-hand'] ?? false;
  if (values.language !== undefined) {
    if (!isLanguage(values.language)) throw new Error(`--language must be one of ${LANGUAGES.join(', ')}`);
    if (byHand) throw new Error('--language takes the payment itself: not with --by-hand');
    language = values.language;
  }
} catch (error) {
  console.error(`demo: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

const env = process.env;
const httpUrl = `http://${env.TONEWALL_HTTP_HOST ?? '127.0.0.1'}:${env.TONEWALL_HTTP_PORT ?? '8080'}`;
const apiKey = env.TONEWALL_API_KEY;
if (!apiKey) {
  console.error('demo: TONEWALL_API_KEY is not set (./scripts/tonewall demo sets it)');
  process.exit(2);
}
const pbx = /^sip:([^:;]+):(\d+)/.exec(env.TONEWALL_PBX_TARGET ?? 'sip:127.0.0.2:5080');
const proxy = `${env.TONEWALL_SIP_ADDR ?? '127.0.0.1'}:${env.TONEWALL_SIP_PORT ?? '5060'}`;
const root = env.TONEWALL_ROOT ?? process.cwd();
const run = env.TONEWALL_RUN_NAME ?? 'dev';

// Visa test card that the sandbox approves, an expiry three years ahead, security code 123.
const expiry = `12${String((new Date().getUTCFullYear() + 3) % 100).padStart(2, '0')}`;
// the amount is read back after the last field (TONEWALL_AMOUNT_READBACK, on): # once the sentence
// (about 8 s) is said; with the read-back off that # comes after the payment and is dropped
const keys = `4242424242424242#${expiry}123#`;
const gapsMs = [...keys].slice(1).map((_key, index) => (index === keys.length - 2 ? 9000 : 180));
const BY_HAND_LEAD_IN_MS = 25_000;

function describe(view: PaymentView): string {
  const fields = Object.entries(view.fields).flatMap(([name, field]) => {
    if (!field) return [];
    const mark = field.valid === true ? '✓' : field.valid === false ? '✗' : ' ';
    return `${name} ${field.masked || '-'} ${mark}${field.brand ? ` ${field.brand}` : ''}`;
  });
  const readBack = view.readBack ? `  |  amount read back: ${view.readBack}` : '';
  return `${view.status.padEnd(11)} ${view.capture ?? ''}  |  ${fields.join('  |  ')}${readBack}`;
}

/** The payment a person starts on the call from the agent desktop (the integration key sees all). */
async function waitForPaymentOn(api: GatewayApi, callId: string, timeoutMs: number): Promise<{ id: string }> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const { payments } = await api.request<{ payments: Array<{ id: string; callId: string }> }>(
      'GET',
      '/v1/payments?active=true',
    );
    const found = payments.find((payment) => payment.callId === callId);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('no payment was started on the demo call in time');
}

async function main(): Promise<void> {
  const api = new GatewayApi(httpUrl, apiKey as string);
  const harness = await CallHarness.create({
    name: 'demo',
    logDir: `${root}/.run/${run}/sipp`,
    proxy,
    agentSip: { address: pbx?.[1] ?? '127.0.0.2', port: Number(pbx?.[2] ?? 5080) },
  });
  try {
    const leadInMs = byHand ? BY_HAND_LEAD_IN_MS : 3000;
    const pcap = rfc4733Pcap(keys, {
      toneMs: 120,
      gapMs: 180,
      gapsMs,
      leadInMs,
      tailMs: 1500,
    });
    const call = await harness.placeCall({
      agent: { agentId: 'agent-demo' },
      customer: { telephoneEvent: true, pcap, holdMs: pcap.durationMs + 6000 },
    });
    const listed = await api.waitForCall(call.customer.sipCallId, 10_000);
    console.log(`demo: call ${listed.id} answered by ${listed.agent}, masking ${listed.masking}`);
    let payment: { id: string };
    if (byHand) {
      console.log(
        `demo: sign in to the agent desktop as 'demo' and take a payment within ${leadInMs / 1000} s`,
      );
      payment = await waitForPaymentOn(api, listed.id, leadInMs);
    } else {
      payment = await api.startPayment(listed.id, {
        chargeAmount: '10.00',
        currency: 'GBP',
        description: 'tonewall demo payment',
        securityCode: true,
        ...(language ? { language } : {}),
      });
    }
    console.log(`demo: payment ${payment.id} started; the customer keys a test card now`);
    let last = '';
    const done = await api.waitForPayment(
      payment.id,
      (view) => {
        const line = describe(view);
        if (line !== last) console.log(`  ${line}`);
        last = line;
        return view.status !== 'in-progress' && view.status !== 'processing';
      },
      pcap.durationMs + 30_000,
    );
    console.log(`demo: outcome ${done.status}: ${JSON.stringify(done.result ?? {})}`);
    await harness.finish(call);
    const heard = call.agent.sink?.analyseDtmf();
    console.log(
      `demo: the agent received ${call.agent.sink?.records.length ?? 0} RTP packets with ${heard?.toneMs ?? '?'} ms of DTMF tone and ${call.agent.sink?.telephoneEvents().length ?? '?'} telephone-events`,
    );
    process.exitCode = done.status === 'succeeded' ? 0 : 1;
  } finally {
    await harness.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(`demo: ${(error as Error).message}`);
  process.exit(1);
});

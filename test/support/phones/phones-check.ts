/**
 * By hand: the real-phones calls of test/integration/real-phones.test.ts on a stack of their own
 * (other ports than the suite's and masking-check's), with a loopback capture of what each phone
 * sent, and TONEWALL_* settings to try — e.g. masking off, to see the check go red:
 *
 *   npx tsx test/support/phones/phones-check.ts
 *   npx tsx test/support/phones/phones-check.ts --env TONEWALL_BLOCK_DTMF_FLAGS= \
 *       --env TONEWALL_EDGE_BLOCK_DTMF_FLAGS=…          # flags that do not block
 *   … --phones baresip --modes inband --keys 123#
 *
 * Prints one row per call; exit 0 when every call passes the suite's checks, 1 otherwise.
 * Needs tcpdump (root or CAP_NET_RAW) for the "sent by the phone" columns.
 */
import { parseArgs } from 'node:util';
import { captureLoopback } from '../audio-delay.js';
import { CallHarness } from '../call-harness.js';
import { openDtmfReports } from '../dtmf-reports.js';
import { PAYMENT_KEYS } from '../masking-matrix.js';
import { ownStackEnv, REPO_ROOT, startStack } from '../stack.js';
import { startBaresip } from './baresip-phone.js';
import { startLinphone } from './linphone-phone.js';
import type { DtmfMode, Phone, PhoneKind } from './phone.js';
import {
  interKeyMsFor,
  type PhonePaymentResult,
  paymentPasses,
  runPhonePayment,
  sentByPhone,
} from './phone-call.js';
import { stopAllPhones } from './phone-process.js';

const PORTS = {
  sip: 6260,
  evapi: 6648,
  rpc: 6271,
  ng: 6423,
  maskNg: 6425,
  muteNg: 6427,
  rtpMin: 39000,
  rtpMax: 39999,
  dtmf: 6499,
  agent: { address: '127.0.0.21', port: 6280 },
  carrier: '127.0.0.22:6280',
} as const;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      env: { type: 'string', multiple: true, default: [] },
      phones: { type: 'string', default: 'baresip,linphone' },
      modes: { type: 'string', default: 'rfc4733,inband' },
      keys: { type: 'string', default: PAYMENT_KEYS },
      'no-capture': { type: 'boolean', default: false },
    },
  });
  const extra: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--env wants K=V, got ${pair}`);
    extra[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const runName = 'phones-check';
  const logDir = `${REPO_ROOT}/.run/${runName}/phones`;
  const stack = await startStack({ runName, env: ownStackEnv(PORTS, extra), install: false });
  const harness = await CallHarness.create({
    name: 'phones-check',
    proxy: `127.0.0.1:${PORTS.sip}`,
    agentSip: PORTS.agent,
    logDir: `${REPO_ROOT}/.run/${runName}/sipp`,
  });
  const reports = await openDtmfReports({ port: PORTS.dtmf, ngPort: PORTS.ng, maskNgPort: PORTS.maskNg });
  const rows: string[] = [
    '| phone | mode | keys | sent by the phone: events / in-band keys (tone ms) | reported by rtpengine | agent packets | voice ms at agent | digit events at agent | ms of tone at agent | result |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  let ok = true;
  try {
    for (const kind of values.phones.split(',') as PhoneKind[]) {
      for (const mode of values.modes.split(',') as DtmfMode[]) {
        const start = kind === 'baresip' ? startBaresip : startLinphone;
        const phone: Phone = await start({ name: 'check', mode, logDir });
        const capture = values['no-capture']
          ? undefined
          : await captureLoopback([phone.rtpPort, phone.rtpPort]);
        let result: PhonePaymentResult;
        try {
          result = await runPhonePayment(
            harness,
            phone,
            { uri: `sip:agent@127.0.0.1:${PORTS.sip}`, keys: values.keys, interKeyMs: interKeyMsFor(phone) },
            reports,
          );
        } finally {
          await phone.stop();
        }
        const sent = capture ? sentByPhone(await capture.stop(), phone.rtpPort) : undefined;
        const passes = paymentPasses(result);
        ok &&= passes;
        const sentText = sent
          ? `${sent.eventKeys.length} events${sent.eventKeys === values.keys ? ' (all keys)' : ''} (${[...new Set(sent.eventMs)].join('/')} ms) / ${sent.toneKeys.length} in-band${sent.toneKeys === values.keys ? ' (all keys)' : ''} (${sent.toneMs} ms); ${sent.audioPackets} PCMU`
          : 'not captured';
        const reported =
          result.reported === values.keys
            ? `all ${values.keys.length}, once each`
            : `${result.reported.length} reports`;
        rows.push(
          `| ${kind} | ${mode} | ${values.keys.length} | ${sentText} | ${reported}${result.strayReports ? ` (+${result.strayReports} stray)` : ''} | ${result.agent.packets} | ${result.voiceMsAtAgent} | ${result.agent.digitEvents} | ${result.agent.toneMs} | ${passes ? 'pass' : 'FAIL'} |`,
        );
        console.error(rows.at(-1));
      }
    }
  } finally {
    await stopAllPhones();
    await reports.close();
    await harness.cleanup();
    await stack.stop();
  }
  console.log(rows.join('\n'));
  return ok ? 0 : 1;
}

process.exitCode = await main();

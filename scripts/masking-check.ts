/**
 * `./scripts/tonewall masking-check`: proves masking on a stack by calling through it. Each layout of
 * the matrix (test/support/masking-matrix.ts) is one real call through Kamailio and both rtpengines,
 * keying a whole payment and a retry (43 keys); the agent's whole stream is checked for
 * telephone-events and DTMF tone. Prints a table and writes a signed result (masking-check.ts → lib).
 *
 *   npx tsx scripts/masking-check.ts [--run dev] [--own-stack] [--layouts NAME,…] [--env K=V …] [--out FILE]
 *
 * --run NAME     the running stack `./scripts/tonewall up` started (default `dev`): its agent target
 *                must be free (the check answers as the agent on 127.0.0.2:5080).
 * --own-stack    start a Kamailio + both rtpengines of its own on other ports (run `masking-check`),
 *                read rtpengine's DTMF reports too (each key reported exactly once), stop it after.
 * --env K=V      a TONEWALL_* setting for --own-stack (to try a configuration).
 * Exit: 0 every call passed, 1 a call leaked or a key was lost, 2 usage.
 */
import { parseArgs } from 'node:util';
import { captureLoopback, delayFromCapture, delayProbePcap } from '../test/support/audio-delay.js';
import { CallHarness } from '../test/support/call-harness.js';
import {
  MATRIX,
  type MatrixRow,
  matrixTable,
  openReportListener,
  PAYMENT_KEYS,
  type ReportListener,
  rowPasses,
  runLayout,
} from '../test/support/masking-matrix.js';
import { startStack } from '../test/support/stack.js';

const OWN_PORTS = {
  sip: 6160,
  evapi: 6548,
  rpc: 6171,
  ng: 6323,
  cli: 6324,
  maskNg: 6325,
  maskCli: 6326,
  rtpMin: 38000,
  rtpMax: 38999,
  dtmf: 6399,
  agent: { address: '127.0.0.9', port: 6180 },
} as const;

function ownStackEnv(extra: Record<string, string>): Record<string, string> {
  return {
    TONEWALL_SIP_PORT: String(OWN_PORTS.sip),
    TONEWALL_EVAPI_PORT: String(OWN_PORTS.evapi),
    TONEWALL_RPC_PORT: String(OWN_PORTS.rpc),
    TONEWALL_NG_PORT: String(OWN_PORTS.ng),
    TONEWALL_CLI_PORT: String(OWN_PORTS.cli),
    TONEWALL_MASK_NG_PORT: String(OWN_PORTS.maskNg),
    TONEWALL_MASK_CLI_PORT: String(OWN_PORTS.maskCli),
    TONEWALL_RTP_PORT_MIN: String(OWN_PORTS.rtpMin),
    TONEWALL_RTP_PORT_MAX: String(OWN_PORTS.rtpMax),
    TONEWALL_DTMF_LOG_DEST: `127.0.0.1:${OWN_PORTS.dtmf}`,
    TONEWALL_PBX_SOURCE: OWN_PORTS.agent.address,
    TONEWALL_PBX_TARGET: `sip:${OWN_PORTS.agent.address}:${OWN_PORTS.agent.port}`,
    TONEWALL_CARRIER_TARGET: 'sip:127.0.0.10:6180',
    ...extra,
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'own-stack': { type: 'boolean', default: false },
      layouts: { type: 'string' },
      'delay-only': { type: 'boolean', default: false },
      env: { type: 'string', multiple: true, default: [] },
    },
  });
  const extra: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--env wants K=V, got ${pair}`);
    extra[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const wanted = values.layouts?.split(',').map((s) => s.trim());
  const layouts = wanted ? MATRIX.filter((l) => wanted.some((w) => l.name.includes(w))) : MATRIX;
  const stack = await startStack({ runName: 'masking-check', env: ownStackEnv(extra), install: false });
  let reports: ReportListener | undefined;
  const harness = await CallHarness.create({
    name: 'masking-check',
    proxy: `127.0.0.1:${OWN_PORTS.sip}`,
    agentSip: OWN_PORTS.agent,
  });
  const rows: MatrixRow[] = [];
  try {
    reports = await openReportListener(OWN_PORTS.dtmf);
    const capture = await captureLoopback([OWN_PORTS.rtpMin, OWN_PORTS.rtpMax]);
    const probe = delayProbePcap();
    const call = await harness.placeCall({ customer: { telephoneEvent: true, pcap: probe } });
    await harness.finish(call);
    const delay = delayFromCapture(await capture.stop(), {
      rtpengineRange: [OWN_PORTS.rtpMin, OWN_PORTS.rtpMax],
      agentAddress: OWN_PORTS.agent.address,
    });
    console.error(`added delay customer → agent: median ${delay.medianMs.toFixed(1)} ms (${delay.delaysMs.map((d) => d.toFixed(1)).join(', ')})`);
    for (const spec of values['delay-only'] ? [] : layouts) {
      const row = await runLayout(harness, spec, { reports });
      rows.push(row);
      console.error(`${rowPasses(row, PAYMENT_KEYS) ? 'pass' : 'FAIL'}  ${spec.name}: ${row.toneMsAtAgent} ms tone, ${row.eventsAtAgent} events, reported ${row.reported?.length}`);
    }
  } finally {
    await reports?.close();
    await harness.cleanup();
    await stack.stop();
  }
  console.log(matrixTable(rows));
  return rows.every((row) => rowPasses(row, PAYMENT_KEYS)) ? 0 : 1;
}

process.exitCode = await main();

/**
 * `./scripts/tonewall masking-check`: proves masking on a stack by calling through it. Every layout of
 * the matrix (test/support/masking-matrix.ts) is one real call through Kamailio and the three rtpengines,
 * the customer keying a whole payment and a retry (43 keys); the agent's whole stream is checked for
 * telephone-events and DTMF tone. A probe call measures the added one-way delay on the wire. Prints a
 * table and writes the result signed with the audit key (src/adapters/audit/masking-evidence.ts) to
 * .run/<run>/masking-check/, where the auditor's report finds it.
 *
 *   npx tsx scripts/masking-check.ts [--run NAME] [--own-stack] [--layouts TEXT,…] [--env K=V …]
 *
 * --run NAME     the stack `./scripts/tonewall up` runs (default: TONEWALL_RUN_NAME or `dev`), with the
 *                same TONEWALL_* settings. The check answers as the agent at TONEWALL_PBX_TARGET
 *                (default 127.0.0.2:5080), so no other agent may answer there meanwhile. The gateway
 *                holds rtpengine's report ports, so reports are not read in this mode.
 * --own-stack    start a Kamailio and the three rtpengines of its own on other ports (run `masking-check`),
 *                also read rtpengine's reports (each key reported as expected), stop it after.
 * --env K=V      a TONEWALL_* setting for --own-stack (to try a configuration).
 * --layouts      only the layouts whose names contain one of these texts.
 * Exit: 0 every call passed, 1 a call leaked, lost audio or a report, 2 usage.
 */

import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { signMaskingEvidence, writeMaskingEvidence } from '../src/adapters/audit/masking-evidence.js';
import { RtpengineCaptureMute } from '../src/adapters/rtpengine/capture-mute.js';
import { NgClient } from '../src/adapters/rtpengine/ng-client.js';
import type { Call } from '../src/application/calls/call-registry.js';
import { systemClock } from '../src/application/clock.js';
import { captureLoopback, delayFromCapture, delayProbePcap } from '../test/support/audio-delay.js';
import { CallHarness, type PlacedCall } from '../test/support/call-harness.js';
import { type DtmfReports, openDtmfReports } from '../test/support/dtmf-reports.js';
import { MATRIX, type MatrixRow, matrixTable, rowPasses, runLayout } from '../test/support/masking-matrix.js';
import { ownStackEnv, REPO_ROOT, startStack } from '../test/support/stack.js';
import { evidenceOf } from './masking-check/evidence.js';
import { realPhones } from './masking-check/real-phones.js';
import {
  envPairs,
  OWN_PORTS,
  runningStackTarget,
  type Target,
  UsageError,
} from './masking-check/stack-target.js';

/** The masking settings in force, as the stack scripts default them (docs/media.md). */
function maskingSettings(env: Record<string, string | undefined>): Record<string, string> {
  const delay = env.TONEWALL_MASK_DELAY_BUFFER ?? '70';
  const dtx = env.TONEWALL_MASK_DTX_DELAY ?? '0';
  const edgeDelay = env.TONEWALL_EDGE_DELAY_BUFFER ?? '10';
  const edgeRenders = edgeDelay === '0' ? '' : `DTMF-security=silence delay-buffer=${edgeDelay}`;
  return {
    // telephone-event customers; any other customer's events (none expected) are dropped
    edgeBlockFlags: env.TONEWALL_EDGE_BLOCK_DTMF_FLAGS ?? edgeRenders,
    edgeTranscodeFlags: env.TONEWALL_EDGE_TRANSCODE_FLAGS ?? 'inject-DTMF',
    maskBlockFlags:
      env.TONEWALL_BLOCK_DTMF_FLAGS ?? `DTMF-security=silence delay-buffer=${delay} detect-DTMF`,
    maskRtpengineArgs: env.TONEWALL_MASK_RTPE_ARGS ?? `--dtx-delay=${dtx} --max-dtx=0`,
  };
}

const USAGE =
  'usage: ./scripts/tonewall masking-check [--run NAME] [--own-stack] [--mode outside|capture|both] [--layouts TEXT,…] [--no-phones] [--env K=V …]\n' +
  'exit status: 0 every call passed, 1 a call leaked, lost audio or a report, 2 usage';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      run: { type: 'string' },
      'own-stack': { type: 'boolean', default: false },
      layouts: { type: 'string' },
      mode: { type: 'string', default: 'both' },
      'no-phones': { type: 'boolean', default: false },
      env: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const extra = envPairs(values.env ?? []);
  const own = values['own-stack'] ?? false;
  if (!own && Object.keys(extra).length > 0) throw new UsageError('--env goes with --own-stack');
  const mode = values.mode ?? 'both';
  if (!['outside', 'capture', 'both'].includes(mode))
    throw new UsageError('--mode is outside, capture or both');
  const wanted = values.layouts?.split(',').map((s) => s.trim());
  const layouts = wanted ? MATRIX.filter((l) => wanted.some((w) => l.name.includes(w))) : MATRIX;
  if (layouts.length === 0) throw new UsageError('no layout matches --layouts');

  const runName = values.run ?? process.env.TONEWALL_RUN_NAME ?? 'dev';
  const stack = own
    ? await startStack({ runName: 'masking-check', env: ownStackEnv(OWN_PORTS, extra), install: false })
    : undefined;
  const target: Target = own
    ? {
        proxy: `127.0.0.1:${OWN_PORTS.sip}`,
        agent: OWN_PORTS.agent,
        rtpRange: [OWN_PORTS.rtpMin, OWN_PORTS.rtpMax],
        muteNgPort: OWN_PORTS.muteNg,
      }
    : runningStackTarget(process.env);
  const settings = maskingSettings(own ? { ...process.env, ...extra } : process.env);
  let reports: DtmfReports | undefined;
  const harness = await CallHarness.create({
    name: 'masking-check',
    proxy: target.proxy,
    agentSip: target.agent,
  });
  const rows: MatrixRow[] = [];
  const phoneRows: MatrixRow[] = [];
  let delay: ReturnType<typeof delayFromCapture>;
  try {
    if (own) {
      reports = await openDtmfReports({
        port: OWN_PORTS.dtmf,
        ngPort: OWN_PORTS.ng,
        maskNgPort: OWN_PORTS.maskNg,
      });
    }
    const capture = await captureLoopback(target.rtpRange);
    const probe = delayProbePcap();
    const call = await harness.placeCall({ customer: { telephoneEvent: true, pcap: probe } });
    await harness.finish(call);
    delay = delayFromCapture(await capture.stop(), {
      rtpengineRange: target.rtpRange,
      agentAddress: target.agent.address,
    });
    console.error(
      `added delay customer → agent: median ${delay.medianMs.toFixed(1)} ms (${delay.delaysMs.map((d) => d.toFixed(1)).join(', ')})`,
    );
    const muteNg = await NgClient.open({
      host: process.env.TONEWALL_NG_ADDR ?? '127.0.0.1',
      port: target.muteNgPort,
      timeoutMs: 1000,
      retries: 1,
      clock: systemClock,
      logger: pino({ level: 'silent' }),
    });
    // what the gateway does when a payment starts capturing (src/adapters/rtpengine/capture-mute.ts)
    const captureMute = new RtpengineCaptureMute({ ng: muteNg });
    const mute = (placed: PlacedCall) =>
      captureMute.enter({
        sipCallId: placed.customer.sipCallId,
        customerTag: placed.customer.fromTag,
      } as Call);
    try {
      for (const inCapture of mode === 'both' ? [false, true] : [mode === 'capture']) {
        for (const spec of layouts) {
          const measured = await runLayout(harness, spec, {
            ...(reports ? { reports } : {}),
            ...(inCapture ? { mute } : {}),
          });
          const row = { ...measured, layout: `${spec.name}${inCapture ? ' (capture)' : ''}` };
          rows.push(row);
          console.error(
            `${rowPasses(row) ? 'pass' : 'FAIL'}  ${row.layout}: ${row.toneMsAtAgent} ms of tone, ${row.eventsAtAgent} digit events at the agent`,
          );
        }
      }
    } finally {
      await muteNg.close();
    }
    if (!values['no-phones']) {
      phoneRows.push(...(await realPhones(harness, target, reports)));
    }
  } finally {
    await reports?.close();
    await harness.cleanup();
    await stack?.stop();
  }
  console.log(matrixTable([...rows, ...phoneRows]));
  const evidence = evidenceOf([...rows, ...phoneRows], own ? 'own' : runName, settings, delay);
  console.log(
    `\n${evidence.calls} calls, ${evidence.keys} keys: ${evidence.leakedToneMs} ms of DTMF tone and ${evidence.eventsAtAgent} digit events at the agent; added delay median ${evidence.addedDelayMs.median ?? '–'} ms — ${evidence.passed ? 'PASS' : 'FAIL'}`,
  );
  const keysDir = resolve(REPO_ROOT, process.env.TONEWALL_KEYS_DIR ?? 'keys');
  const privateKey = createPrivateKey(
    readFileSync(resolve(keysDir, process.env.TONEWALL_AUDIT_KEY ?? 'audit-signing.key')),
  );
  const jws = await signMaskingEvidence(evidence, privateKey);
  const file = await writeMaskingEvidence(
    resolve(REPO_ROOT, '.run', own ? 'masking-check' : runName, 'masking-check'),
    jws,
    evidence.checkedAt,
  );
  console.log(`signed result: ${file}`);
  return evidence.passed ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`masking-check: ${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}

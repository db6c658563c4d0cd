import type { CallHarness } from '../../test/support/call-harness.js';
import type { DtmfReports } from '../../test/support/dtmf-reports.js';
import { type MatrixRow, PAYMENT_KEYS, rowPasses } from '../../test/support/masking-matrix.js';
import { startBaresip } from '../../test/support/phones/baresip-phone.js';
import { startLinphone } from '../../test/support/phones/linphone-phone.js';
import type { Phone } from '../../test/support/phones/phone.js';
import { interKeyMsFor, runPhonePayment } from '../../test/support/phones/phone-call.js';
import { stopAllPhones } from '../../test/support/phones/phone-process.js';
import type { Target } from './stack-target.js';

/**
 * Real phones as the customer: Linphone keying in-band tones, baresip keying RFC 4733 events, a whole
 * payment each (test/support/phones). Reports are read only with the check's own stack.
 */
export async function realPhones(
  harness: CallHarness,
  target: Target,
  reports: DtmfReports | undefined,
): Promise<MatrixRow[]> {
  const rows: MatrixRow[] = [];
  try {
    for (const [name, start, mode] of [
      ['Linphone, in-band', startLinphone, 'inband'],
      ['baresip, RFC 4733', startBaresip, 'rfc4733'],
    ] as const) {
      const phone: Phone = await start({ name: 'masking-check', mode });
      try {
        const result = await runPhonePayment(
          harness,
          phone,
          { uri: `sip:agent@${target.proxy}`, keys: PAYMENT_KEYS, interKeyMs: interKeyMsFor(phone) },
          reports,
        );
        const row: MatrixRow = {
          layout: `real phone: ${name}`,
          keys: PAYMENT_KEYS.length,
          eventsAtAgent: result.agent.digitEvents,
          toneMsAtAgent: result.agent.toneMs,
          maxDtmfDbfs: result.agent.maxDtmfLevelDbfs,
          // the phone's 400 Hz voice the agent heard, against the 1000 ms the suite asks for
          agentAudioMs: result.voiceMsAtAgent,
          customerAudioMs: 1000 / 0.9,
          packetsAfterMute: undefined,
          reported: reports === undefined ? undefined : result.reported.length,
          captured: reports === undefined ? undefined : result.reported,
          expected: PAYMENT_KEYS,
        };
        rows.push(row);
        console.error(
          `${rowPasses(row) ? 'pass' : 'FAIL'}  ${row.layout}: ${row.toneMsAtAgent} ms of tone, ${row.eventsAtAgent} digit events at the agent`,
        );
      } finally {
        await phone.stop();
      }
    }
  } finally {
    await stopAllPhones();
  }
  return rows;
}

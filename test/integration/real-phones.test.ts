/**
 * Issue 14, item 4: real phones as the customer. baresip (`baresip-core`) and Linphone
 * (`linphone-cli`'s linphone-daemon), each from its own loopback address, call Kamailio directly
 * (no registration), key a whole payment and a retry (PAYMENT_KEYS, 43 keys) as RFC 4733 events and
 * as in-band tones, and hang up; the CallHarness agent (SIPp UAS, SDP pointing at an RTP sink)
 * answers. The agent's whole stream must carry no telephone-event with a digit and no ms of DTMF
 * tone. Positive controls: the agent did hear the phone (its 400 Hz voice before and after the
 * keys), and rtpengine reported every key of the call once, in order (the edge's reports on 999
 * for RFC 4733, the mask hop's on 998 for in-band tones) — the phone did send them.
 *
 * The phones are installed by stack_install (global-setup); a missing phone fails, never skips.
 * How each phone is driven, and what it can and cannot do: test/support/phones/*.ts. By hand, on a
 * stack of its own, with a capture of what each phone sent: test/support/phones/phones-check.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAgentAudio } from '../support/agent-audio.js';
import { CallHarness } from '../support/call-harness.js';
import { type DtmfReports, openDtmfReports } from '../support/dtmf-reports.js';
import { findKeyedDigits, logFile } from '../support/log-scan.js';
import { PAYMENT_KEYS } from '../support/masking-matrix.js';
import { startBaresip } from '../support/phones/baresip-phone.js';
import { startLinphone } from '../support/phones/linphone-phone.js';
import type { DtmfMode, Phone, PhoneKind } from '../support/phones/phone.js';
import {
  interKeyMsFor,
  MIN_VOICE_MS_AT_AGENT,
  type PhonePaymentResult,
  runPhonePayment,
} from '../support/phones/phone-call.js';
import { stopAllPhones } from '../support/phones/phone-process.js';
import { DTMF_REPORT_PORT } from '../support/test-run.js';

/** Kamailio of the suite's stack (global-setup); the agent is CallHarness's 127.0.0.2:5080. */
const AGENT_URI = 'sip:agent@127.0.0.1:5060';
/** The stack's TONEWALL_DTMF_LOG_DEST port (the mask hop reports to the port below). */

let harness: CallHarness;
let reports: DtmfReports;
const phoneLogs: string[] = [];

beforeAll(async () => {
  harness = await CallHarness.create({ name: 'real-phones' });
  // Integration files run one at a time (vitest.config.ts: fileParallelism false), and this file
  // starts no gateway: the report ports are free for it. A port in use fails the file.
  reports = await openDtmfReports({ port: DTMF_REPORT_PORT, ngPort: 2223, maskNgPort: 2225 });
});

afterAll(async () => {
  await stopAllPhones();
  await reports?.close();
  await harness?.cleanup();
});

const START: Record<PhoneKind, typeof startBaresip> = { baresip: startBaresip, linphone: startLinphone };

async function payWith(
  kind: PhoneKind,
  mode: DtmfMode,
): Promise<{ phone: Phone; result: PhonePaymentResult }> {
  const phone = await START[kind]({ name: 'real-phones', mode });
  phoneLogs.push(phone.logFile);
  try {
    const result = await runPhonePayment(
      harness,
      phone,
      { uri: AGENT_URI, keys: PAYMENT_KEYS, interKeyMs: interKeyMsFor(phone) },
      reports,
    );
    return { phone, result };
  } finally {
    await phone.stop();
  }
}

describe.each([
  { kind: 'baresip', mode: 'rfc4733' },
  { kind: 'baresip', mode: 'inband' },
  { kind: 'linphone', mode: 'rfc4733' },
  { kind: 'linphone', mode: 'inband' },
] as const)('$kind keys a whole payment ($mode)', ({ kind, mode }) => {
  it('the agent hears the phone, rtpengine saw every key once, the agent gets no key', async () => {
    const { phone, result } = await payWith(kind, mode);
    // Card digits stay out of the messages: lengths and booleans only.
    const summary =
      `${kind} ${mode} (pid ${phone.pid}, log ${phone.logFile}): ${describeAgentAudio(result.agent)}, ` +
      `${result.voiceMsAtAgent} ms of the phone's voice at the agent, rtpengine reported ` +
      `${result.reported.length}/${PAYMENT_KEYS.length} keys (+${result.strayReports} of other calls)`;
    // Every check is soft: a failing call lists all that failed (a leak also shows in the reports).
    expect.soft(result.record.pressedAt, summary).toHaveLength(PAYMENT_KEYS.length);

    // the agent's whole stream: no digit as an event, no ms of DTMF tone
    expect.soft(result.agent.digitEvents, summary).toBe(0);
    expect.soft(result.agent.toneMs, summary).toBe(0);
    expect.soft(result.agent.detected.length, summary).toBe(0);

    // positive controls: the agent got the phone's audio, and the phone sent every key
    expect.soft(result.agent.packets, summary).toBeGreaterThanOrEqual(0.5 * result.agent.customerPackets);
    expect.soft(result.voiceMsAtAgent, summary).toBeGreaterThanOrEqual(MIN_VOICE_MS_AT_AGENT);
    expect.soft(result.reported.length, summary).toBe(PAYMENT_KEYS.length);
    expect
      .soft(result.reported === PAYMENT_KEYS, `${summary}: the reported keys are the keyed ones, in order`)
      .toBe(true);
    expect.soft(result.strayReports, summary).toBe(0);
  });
});

describe('logs', () => {
  it("the phones' logs hold none of the keyed sequences", () => {
    expect(phoneLogs).toHaveLength(4);
    const sources = phoneLogs.map((path) => logFile(path, path));
    for (const source of sources) expect(source.text.length, `${source.name} has lines`).toBeGreaterThan(0);
    // the scan does see a keyed sequence when one is there
    expect(findKeyedDigits([{ name: 'probe', text: `x ${PAYMENT_KEYS} y` }], [PAYMENT_KEYS])).not.toEqual([]);
    expect(findKeyedDigits(sources, harness.keyed)).toEqual([]);
  });
});

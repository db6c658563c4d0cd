/**
 * Issue 18, item 4 on the real Kamailio: trunks trusted by address. The suite's stack lists the
 * carriers as 127.0.0.0/25 and the PBX as 127.0.0.2 (test/support/stack.ts): an INVITE from
 * 127.0.0.200 is answered 403 and reaches nobody; a carrier's INVITE that names an agent
 * (X-Agent-Id) reaches the PBX without it, and the agent is taken neither from that header nor from
 * the request URI; a carrier flooding OPTIONS is cut off by pike (TONEWALL_SIP_FLOOD_LIMIT, 400 in
 * 2 s) while another carrier is still answered.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallHarness } from '../support/call-harness.js';
import { rfc4733Pcap } from '../support/dtmf-pcap.js';
import { type InProcessGateway, startInProcessGateway } from '../support/in-process-gateway.js';
import { freeUdpPort } from '../support/ports.js';
import { startSipp, tracedMessages } from '../support/sipp.js';
import { TEST_RUN_DIR } from '../support/test-run.js';

const SIPP_DIR = join(TEST_RUN_DIR, 'sipp');

let gateway: InProcessGateway;
let carrier: CallHarness;
let stranger: CallHarness;

beforeAll(async () => {
  gateway = await startInProcessGateway();
  carrier = await CallHarness.create({ name: 'trunks' });
  stranger = await CallHarness.create({ name: 'trunks-stranger', customerAddress: '127.0.0.200' });
});

afterAll(async () => {
  await stranger?.cleanup();
  await carrier?.cleanup();
  await gateway?.close();
});

/** Sends `calls` OPTIONS from `address` at `rate` a second; resolves with how many were answered 200. */
async function optionsFrom(address: string, calls: number, rate: number): Promise<number> {
  const sipp = await startSipp({
    scenario: 'options.xml',
    name: `trunks-options-${address}`,
    cwd: SIPP_DIR,
    logDir: SIPP_DIR,
    remote: '127.0.0.1:5060',
    sip: { address, port: await freeUdpPort(address) },
    media: { address, port: await freeUdpPort(address, { span: 4 }) },
    calls,
    timeoutS: 30,
    traceMessages: true,
    extraArgs: ['-r', String(rate), '-rp', '1000', '-recv_timeout', '2000', '-l', String(calls)],
  });
  await sipp.exit;
  return tracedMessages(sipp.messageFile ?? '').filter(
    (seen) => seen.direction === 'received' && seen.status === 200,
  ).length;
}

describe('trunks trusted by address', () => {
  it('refuses an INVITE from an address that is neither the PBX nor a carrier (403), and lists no call', async () => {
    const refused = await stranger.startCustomerScenario({ scenario: 'customer-refused.xml', timeoutS: 15 });
    await refused.sipp.succeeded(15_000);
    expect(
      tracedMessages(refused.sipp.messageFile ?? '').map((seen) => seen.status ?? seen.firstLine),
    ).toContain(403);
    // the call never existed: not listed (other files' calls may be, from the resync)
    expect((await gateway.api.calls()).map((call) => call.sipCallId)).not.toContain(refused.sipCallId);
  });

  it("strips a carrier's X-Agent-Id and never takes the agent from it or from the request URI", async () => {
    const pcap = rfc4733Pcap('1', { leadInMs: 500, tailMs: 500 });
    const call = await carrier.placeCall({
      // the PBX answers naming nobody (an IVR); masking is from the answer (the suite's default)
      agent: { agentId: 'unused', scenario: 'agent-ivr-only.xml' },
      customer: { telephoneEvent: true, pcap, scenario: 'customer-answers-reinvite.xml' },
    });
    const listed = await gateway.api.waitForCall(call.customer.sipCallId);
    expect(listed).toMatchObject({ agent: '', phase: 'agent', masking: 'on' });
    await carrier.finish(call);
    const atPbx = call.agent.sipp.messageFile ?? '';
    const invite = tracedMessages(atPbx).find(
      (seen) => seen.direction === 'received' && /^INVITE /.test(seen.firstLine),
    );
    expect(invite, 'the PBX got the INVITE').toBeDefined();
    expect(readFileSync(atPbx, 'utf8')).not.toContain('forged-by-carrier');
  });

  it('cuts off a carrier that floods (pike), and still answers another', async () => {
    const answered = await optionsFrom('127.0.0.100', 1500, 750);
    console.info(`trunks: a flood of 1500 OPTIONS in 2 s from 127.0.0.100: ${answered} answered`);
    expect(answered).toBeLessThan(1000);
    expect(answered).toBeGreaterThan(0);
    expect(await optionsFrom('127.0.0.101', 5, 10)).toBe(5);
  });
});

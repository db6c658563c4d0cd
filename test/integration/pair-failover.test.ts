/**
 * Issue 19 on the real processes of `./scripts/tonewall up --pair --no-build` (a run and ports of its
 * own, test/support/pair-stack.ts): two media chains, two gateways, one Redis, one Kamailio. In turn:
 * a payment refused on the gateway that does not own the call's chain (421 naming the other) and taken
 * on the one that does; the gateway holding a charge SIGKILLed (one charge, `processing` seen by the
 * other, reconciled at its restart; the other serves a call of its own chain); Redis restarted; Kamailio
 * restarted with a call up (its dialog read back from Kamailio's dialog database: the gateways keep the
 * call, its payment is taken, its BYE ends it); last, a chain's three rtpengines SIGKILLed while its customer keys a card
 * (media stops, nothing reaches the agent, a new call lands on the other chain and pays). The figures
 * are printed (`pair failover:` lines) and copied into docs/operations.md, "The pair".
 *
 * --no-build: the suite's dist/ is used as it is (built before it, as service-users.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAudioReport, describeAgentAudio } from '../support/agent-audio.js';
import { CallHarness, type PlacedCall } from '../support/call-harness.js';
import { rfc4733Pcap } from '../support/dtmf-pcap.js';
import { type GatewayApi, until } from '../support/gateway-api.js';
import { chargeHeldAtProcessor } from '../support/held-charge.js';
import {
  apiOf,
  CHAINS,
  type Chain,
  chainOfCall,
  dialogVarsOf,
  killByPidFile,
  otherChain,
  PAIR_AGENT,
  PAIR_KEYS_DIR,
  PAIR_PROXY,
  PAIR_SANDBOX_URL,
  PairAgent,
  pairShell,
  pairTonewall,
  seesKamailio,
  sessionUserOn,
} from '../support/pair-stack.js';
import { sandboxCharges } from '../support/sandbox-process.js';

const EXPIRY = `12${String((new Date().getUTCFullYear() + 2) % 100).padStart(2, '0')}`;
const sandbox = { charges: () => sandboxCharges(PAIR_SANDBOX_URL, PAIR_KEYS_DIR) };
let harness: CallHarness;
/** An agent of the run's users file: signed in on the gateway the gateway-kill test kills. */
let agent: PairAgent;
/** The payment of the gateway-kill test, reconciled (read back after the Redis restart). */
let reconciled: { paymentId: string; chain: Chain } | undefined;

/** A customer who keys a good card and its expiry after `leadInMs`. */
const paying = (leadInMs: number, extraHoldMs = 1500) => {
  const pcap = rfc4733Pcap(`4242424242424242#${EXPIRY}#`, { leadInMs, toneMs: 80, gapMs: 200, tailMs: 500 });
  return { telephoneEvent: true, pcap, holdMs: pcap.durationMs + extraHoldMs };
};

/** The chain of a placed call, once Kamailio has its dialog. */
const chainOf = (call: PlacedCall): Promise<Chain> =>
  until('the call in dlg.list', 3000, () => chainOfCall(call.customer.sipCallId).catch(() => undefined));

/** Places calls of `customer`, three at a time, until one lands on `chain` (each call's chain is its Call-ID's hash). */
async function callOnChain(chain: Chain, customer: ReturnType<typeof paying>): Promise<PlacedCall> {
  for (let round = 0; round < 4; round += 1) {
    for (const call of await harness.placeCallGroup([customer, customer, customer])) {
      if ((await chainOf(call)) === chain) return call;
    }
  }
  throw new Error(`no call of 12 landed on chain ${chain}`);
}

/** Pays on `api` for `call`: the customer keys the card, the payment succeeds. */
async function pays(api: GatewayApi, call: PlacedCall): Promise<void> {
  const listed = await api.waitForCall(call.customer.sipCallId);
  const payment = await api.startPayment(listed.id);
  const done = await api.waitForPayment(
    payment.id,
    (view) => view.status !== 'in-progress' && view.status !== 'processing',
    30_000,
  );
  expect(done.status).toBe('succeeded');
}

/** What the agent of `call` receives. */
function sinkOf(call: PlacedCall) {
  if (!call.agent.sink) throw new Error('the agent has no sink');
  return call.agent.sink;
}

const refusedWith = (api: GatewayApi, callId: string) =>
  api.startPayment(callId).then(
    () => 'created',
    (error: Error) => error.message,
  );

beforeAll(async () => {
  await pairTonewall(['down']).catch(() => undefined);
  agent = PairAgent.add('pair-agent', 'pair-failover-agent-password');
  const started = performance.now();
  await pairTonewall(['up', '--pair', '--no-build']);
  console.info(`pair failover: up --pair --no-build took ${Math.round(performance.now() - started)} ms`);
  harness = await CallHarness.create({ name: 'pair-failover', proxy: PAIR_PROXY, agentSip: PAIR_AGENT });
}, 180_000);

afterAll(async () => {
  await harness?.cleanup();
  await pairTonewall(['down']);
}, 60_000);

describe('the pair on its real processes (issue 19)', () => {
  it("refuses a payment on the gateway that does not own the call's chain, naming the one that does, which takes it", async () => {
    const [call] = await harness.placeCallGroup([paying(5000)]);
    if (!call) throw new Error('no call placed');
    const chain = await chainOf(call);
    const [own, other] = [apiOf(chain), apiOf(otherChain(chain))];
    const listed = await other.waitForCall(call.customer.sipCallId);
    const refused = await refusedWith(other, listed.id);
    expect(refused).toMatch(/HTTP 421 .*GW_ERR_OTHER_GATEWAY/);
    expect(refused).toContain(`gateway ${CHAINS[chain].instance} (${CHAINS[chain].url})`);
    await pays(own, call);
    await harness.finish(call);
    const report = agentAudioReport(sinkOf(call), call.customer.pcap);
    expect(report.toneMs, describeAgentAudio(report)).toBe(0);
    expect(report.digitEvents).toBe(0);
    console.info(
      `pair failover: call on chain ${chain}: ${CHAINS[otherChain(chain)].instance} answered 421 naming ${CHAINS[chain].instance}, which took the payment (succeeded); ${describeAgentAudio(report)}`,
    );
  }, 60_000);

  it('the gateway holding a charge is killed: one charge, reconciled at its restart; the other serves a call of its own chain', async () => {
    let chain: Chain = 'A';
    const held = await chargeHeldAtProcessor({
      harness,
      sandbox,
      body: { idempotencyKey: 'it-pair-held-charge' },
      api: async (call) => {
        chain = await chainOf(call);
        return apiOf(chain);
      },
    });
    const survivor = apiOf(otherChain(chain));
    // an agent signed in on the gateway about to die
    const cookie = await agent.signIn(chain);
    expect(await sessionUserOn(chain, cookie)).toBe(agent.name);
    await killByPidFile([CHAINS[chain].gatewayPid]);
    const killedAt = performance.now();
    // still signed in: the other gateway reads the session from Redis
    expect(await sessionUserOn(otherChain(chain), cookie)).toBe(agent.name);
    // the other gateway reads what the dead one stored: the payment charging, its key, the call
    expect((await survivor.payment(held.paymentId)).status).toBe('processing');
    // its call's SIPps go (the agent address is free for the next calls); the charge is the processor's now
    await held.call.customer.sipp.kill();
    await held.call.agent.sipp.kill();
    const call = await callOnChain(otherChain(chain), paying(6000));
    await pays(survivor, call);
    const servedMs = Math.round(performance.now() - killedAt);
    const restarted = performance.now();
    await pairTonewall(['up', '--pair', '--no-build']);
    const restartMs = Math.round(performance.now() - restarted);
    const settled = await apiOf(chain).waitForPayment(
      held.paymentId,
      (view) => view.status === 'succeeded',
      20_000,
    );
    const charges = Object.values(await sandbox.charges()).filter(
      (entry) => entry.paymentId === held.paymentId,
    );
    expect(charges.map((entry) => entry.charges)).toEqual([1]);
    expect(settled.result?.outcome).toBe('success');
    reconciled = { paymentId: held.paymentId, chain };
    await harness.finish(call);
    console.info(
      `pair failover: ${CHAINS[chain].instance} SIGKILLed with a charge at the processor; ${CHAINS[otherChain(chain)].instance} saw it 'processing' and took a payment on a call of its chain (succeeded ${servedMs} ms after the kill, the call placed after it); the killed gateway back by up --pair in ${restartMs} ms, the payment reconciled succeeded, 1 charge at the processor; the agent signed in on the killed one still signed in on the other (Redis session)`,
    );
  }, 120_000);

  it('Redis restarted under the pair: what needs it fails 503 while it is down, all back once it is up, nothing lost', async () => {
    const api = apiOf('A');
    const probe = () => refusedWith(api, 'CAnosuchcall');
    expect(await probe()).toMatch(/HTTP 404/);
    const stopped = performance.now();
    await pairShell(
      'stack_defaults; stack_pair_defaults; stack_stop_pidfile "$(stack_run_dir "$TONEWALL_RUN_NAME")/redis.pid" redis',
    );
    expect(await probe()).toMatch(/HTTP 503 .*GW_ERR_STATE_STORE/);
    await pairShell(
      'stack_defaults; stack_pair_defaults; stack_pair_start_redis "$(stack_run_dir "$TONEWALL_RUN_NAME")"',
    );
    const back = performance.now();
    await until('a create to reach Redis again', 20_000, async () =>
      (await probe()).includes('HTTP 404') ? true : undefined,
    );
    const recoveredMs = Math.round(performance.now() - back);
    // the append-only file kept what the gateways stored: the other gateway reads the reconciled payment
    if (!reconciled) throw new Error('the gateway-kill test did not leave its payment');
    expect((await apiOf(otherChain(reconciled.chain)).payment(reconciled.paymentId)).status).toBe(
      'succeeded',
    );
    console.info(
      `pair failover: Redis stopped for ${Math.round(back - stopped)} ms: creates refused 503 GW_ERR_STATE_STORE; after its start both gateways served again in ${recoveredMs} ms`,
    );
  }, 60_000);

  it('Kamailio restarted with a call up: its dialog is read back, the gateways keep the call, a payment is taken on it, the BYE ends it', async () => {
    const [call] = await harness.placeCallGroup([paying(8000)]);
    if (!call) throw new Error('no call placed');
    const chain = await chainOf(call);
    const sipCallId = call.customer.sipCallId;
    const listed = await Promise.all([apiOf('A').waitForCall(sipCallId), apiOf('B').waitForCall(sipCallId)]);
    const varsBefore = await dialogVarsOf(sipCallId);
    expect(varsBefore?.masking).toBe('on');
    const before = sinkOf(call).records.length;
    const stopping = performance.now();
    await pairShell('stack_restart kamailio "$TONEWALL_RUN_NAME"');
    const restartMs = Math.round(performance.now() - stopping);
    const restartedAt = performance.now();
    // the restarted Kamailio lists the dialog with every variable it had (tags, direction, masking, node …)
    expect(await dialogVarsOf(sipCallId)).toEqual(varsBefore);
    await until('both gateways back on evapi', 10_000, async () =>
      (await seesKamailio('A')) && (await seesKamailio('B')) ? true : undefined,
    );
    const reconnectedMs = Math.round(performance.now() - restartedAt);
    // each gateway resynced from dlg.list on its reconnection (before, 446 ms after the restart the call was gone)
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await Promise.all([apiOf('A').callOf(sipCallId), apiOf('B').callOf(sipCallId)]);
    expect(after.map((view) => view?.id)).toEqual(listed.map((view) => view.id));
    expect(sinkOf(call).records.length - before).toBeGreaterThan(50);
    // the call's owner takes a payment on it after the restart; the customer's BYE goes through the new Kamailio
    await pays(apiOf(chain), call);
    const paidMs = Math.round(performance.now() - restartedAt);
    await harness.finish(call);
    await Promise.all([apiOf('A').waitForCallGone(sipCallId), apiOf('B').waitForCallGone(sipCallId)]);
    const report = agentAudioReport(sinkOf(call), call.customer.pcap);
    expect(report.toneMs, describeAgentAudio(report)).toBe(0);
    expect(report.digitEvents).toBe(0);
    console.info(
      `pair failover: Kamailio restarted (${restartMs} ms) with a call on chain ${chain}: its dialog listed again with its ${Object.keys(varsBefore ?? {}).length} variables (masking ${varsBefore?.masking}); both gateways back on evapi ${reconnectedMs} ms after and still listing the call (same id) 1.5 s later; paid on ${CHAINS[chain].instance} ${paidMs} ms after the restart (succeeded); the BYE through the new Kamailio ended it on both gateways; ${describeAgentAudio(report)}`,
    );
  }, 90_000);

  it("a chain's rtpengines killed while its customer keys: the media stops, nothing reaches the agent; new calls land on the other chain and pay", async () => {
    const pcap = rfc4733Pcap('4242424242424242', { leadInMs: 2000, toneMs: 80, gapMs: 300, tailMs: 300 });
    const [call] = await harness.placeCallGroup([
      { telephoneEvent: true, pcap, holdMs: pcap.durationMs + 500 },
    ]);
    if (!call) throw new Error('no call placed');
    const sink = sinkOf(call);
    const chain = await chainOf(call);
    // half-way through the keys (no payment: Kamailio's masking alone, so the agent hears the call)
    await new Promise((resolve) => setTimeout(resolve, 2000 + 8 * 380));
    const atKill = sink.records.length;
    await killByPidFile(CHAINS[chain].engines);
    const killedAt = performance.now();
    const lastBefore = sink.records[atKill - 1]?.arrivalMs ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const afterKill = sink.records.slice(atKill);
    expect(atKill).toBeGreaterThan(100); // the agent did hear the call before
    expect(afterKill.length).toBeLessThan(5); // at most what was already on its way
    const report = agentAudioReport(sink, pcap);
    expect(report.toneMs, describeAgentAudio(report)).toBe(0);
    expect(report.digitEvents).toBe(0);
    await call.customer.sipp.kill();
    await call.agent.sipp.kill();
    // new calls: each one's setup until the agent has its INVITE; a Call-ID hashed to the dead chain waits out its NG timeouts
    const setups: number[] = [];
    let placedAt = performance.now();
    const calls = await harness.placeCallGroup([paying(4000), paying(4000), paying(4000)], 'agent-7', () => {
      setups.push(Math.round(performance.now() - placedAt));
      placedAt = performance.now();
    });
    const chains = await Promise.all(calls.map(chainOf));
    expect(chains).toEqual([otherChain(chain), otherChain(chain), otherChain(chain)]);
    const last = calls.at(-1) as PlacedCall;
    await pays(apiOf(otherChain(chain)), last);
    const firstPaidMs = Math.round(performance.now() - killedAt);
    for (const placed of calls) await placed.customer.sipp.succeeded(20_000);
    console.info(
      `pair failover: chain ${chain}'s three rtpengines SIGKILLed mid-keying: ${afterKill.length} packets reached the agent after the kill (the last ${Math.round((afterKill.at(-1)?.arrivalMs ?? lastBefore) - lastBefore)} ms after the last one before), none in the 1.5 s after; ${describeAgentAudio(report)}. New calls: setup ${setups.join(', ')} ms each (INVITE to the agent), all on chain ${otherChain(chain)}; the third paid on ${CHAINS[otherChain(chain)].instance} ${firstPaidMs} ms after the kill`,
    );
  }, 120_000);
});

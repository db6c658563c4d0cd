/**
 * Places real calls through the test stack (Kamailio + rtpengine from global-setup): a SIPp agent
 * UAS at 127.0.0.2:5080 whose SDP points at an RTP sink (what the agent hears), and a SIPp customer
 * at 127.0.0.1 that plays a pcap after the answer and hangs up after `holdMs`. Every process and
 * socket it opens is tracked and ended by `cleanup()` (by PID), also when a test fails.
 *
 *   const harness = await CallHarness.create({ name: 'masking' });
 *   const call = await harness.placeCall({ customer: { telephoneEvent: true, pcap: rfc4733Pcap('123#') } });
 *   await gatewayApi.waitForCall(call.customer.sipCallId);
 *   await harness.finish(call);            // both SIPps exit 0, the agent's stream went quiet
 *   call.agent.sink?.analyseDtmf();        // what the agent received
 *   await harness.cleanup();               // in afterAll / afterEach
 *
 * Logs: `.run/test/sipp/<name>-<n>-{customer,agent}.out` and `…-errors.log`. SIPp's working
 * directory (where its `customer.pcap` / `agent.pcap` are written) is a temp dir per call.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  Agent,
  AgentOptions,
  CallHarnessOptions,
  CustomerCall,
  CustomerOptions,
  CustomerScenario,
  PlacedCall,
  ScenarioOptions,
} from './call-types.js';
import { RtpSink } from './media/rtp-sink.js';
import { freeUdpPort, retryPortRace } from './ports.js';
import { SIPP_SCENARIO_DIR, type SippProcess, startSipp } from './sipp.js';
import { REPO_ROOT, TEST_RUN_NAME } from './stack.js';

export type {
  Agent,
  AgentOptions,
  CallHarnessOptions,
  CustomerCall,
  CustomerOptions,
  CustomerScenario,
  PlacedCall,
  ScenarioOptions,
} from './call-types.js';

export class CallHarness {
  readonly name: string;
  readonly logDir: string;
  /** Every key sequence a customer or agent keyed through this harness (for the log scans). */
  readonly keyed: string[] = [];
  readonly #options: Required<Omit<CallHarnessOptions, 'name' | 'logDir'>>;
  readonly #workDir: string;
  readonly #processes = new Set<SippProcess>();
  readonly #sinks = new Set<RtpSink>();
  #count = 0;
  /** The SIPp at the agent address: there is one such address, so one agent at a time. */
  #agentSipp: SippProcess | undefined;

  private constructor(options: CallHarnessOptions) {
    this.name = options.name;
    this.logDir = options.logDir ?? join(REPO_ROOT, '.run', TEST_RUN_NAME, 'sipp');
    this.#options = {
      proxy: options.proxy ?? '127.0.0.1:5060',
      agentSip: options.agentSip ?? { address: '127.0.0.2', port: 5080 },
      customerAddress: options.customerAddress ?? '127.0.0.1',
    };
    mkdirSync(this.logDir, { recursive: true });
    this.#workDir = mkdtempSync(join(tmpdir(), `tonewall-${options.name}-`));
  }

  static async create(options: CallHarnessOptions): Promise<CallHarness> {
    // SIPp 3.6 looks for play_pcap_audio files next to the scenario before its working directory:
    // a stray pcap there would be played instead of the test's.
    for (const file of ['customer.pcap', 'agent.pcap']) {
      if (existsSync(join(SIPP_SCENARIO_DIR, file))) {
        throw new Error(`remove test/sipp/${file}: SIPp would play it instead of the test's pcap`);
      }
    }
    return new CallHarness(options);
  }

  /**
   * Starts the agent UAS (one call, then it exits) and, unless it keys digits itself, an RTP sink on
   * 127.0.0.2 that its SDP answer points at. Waits for the previous agent to finish first: there is
   * one agent address.
   */
  async startAgent(options: AgentOptions = {}): Promise<Agent> {
    await this.#agentAddressFree();
    const n = ++this.#count;
    const agentId = options.agentId ?? 'agent-7';
    const cwd = this.#callDir(n);
    const sip = this.#options.agentSip;
    const media = { address: sip.address, port: await freeUdpPort(sip.address, { span: 4 }) };
    let sink: RtpSink | undefined;
    const vars: Record<string, string> = { ...options.vars, agent_id: agentId };
    if (options.keys) {
      writeFileSync(join(cwd, 'agent.pcap'), options.keys.bytes);
      if (options.keys.keys) this.keyed.push(options.keys.keys);
    } else {
      sink = await RtpSink.open({ address: sip.address, port: 0 });
      this.#sinks.add(sink);
      vars.sink_ip = sink.address.address;
      vars.sink_port = String(sink.address.port);
    }
    const sipp = await startSipp({
      scenario: options.scenario ?? (options.keys ? 'agent-keys-digits.xml' : 'agent-uas.xml'),
      name: `${this.name}-${n}-agent`,
      cwd,
      logDir: this.logDir,
      sip,
      media,
      vars,
      traceMessages: true,
    });
    this.#processes.add(sipp);
    this.#agentSipp = sipp;
    return { sipp, sink, agentId };
  }

  /** Starts a customer call through Kamailio; it plays `pcap` after the answer, then sends BYE. */
  async startCustomer(options: CustomerOptions): Promise<CustomerCall> {
    const n = ++this.#count;
    const cwd = this.#callDir(n);
    writeFileSync(join(cwd, 'customer.pcap'), options.pcap.bytes);
    if (options.pcap.keys) this.keyed.push(options.pcap.keys);
    const address = this.#options.customerAddress;
    const holdMs = options.holdMs ?? options.pcap.durationMs + 800;
    const sipp = await retryPortRace(async () =>
      startSipp({
        scenario: options.scenario ?? (options.telephoneEvent ? 'customer-pcmu-te.xml' : 'customer-pcmu.xml'),
        name: `${this.name}-${n}-customer`,
        cwd,
        logDir: this.logDir,
        remote: this.#options.proxy,
        sip: { address, port: await freeUdpPort(address) },
        media: { address, port: await freeUdpPort(address, { span: 4 }) },
        vars: { ...options.vars, hold_ms: String(holdMs) },
        extraArgs: ['-s', '1000'],
      }),
    );
    this.#processes.add(sipp);
    return {
      sipp,
      sipCallId: `1-${sipp.pid}@${address}`,
      fromTag: `${sipp.pid}c1`,
      pcap: options.pcap,
      holdMs,
    };
  }

  /**
   * Runs another customer scenario of test/sipp through Kamailio, for calls whose media nobody looks
   * at (CANCEL while ringing, a malformed offer, an abrupt hang-up). Its messages are traced
   * (`sipp.messageFile`, read with `tracedMessages`).
   */
  async startCustomerScenario(options: ScenarioOptions): Promise<CustomerScenario> {
    const address = this.#options.customerAddress;
    const sipp = await this.#startScenario(options, 'customer', {
      address,
      port: await freeUdpPort(address),
    });
    return { sipp, sipCallId: `1-${sipp.pid}@${address}` };
  }

  /** Runs another agent scenario of test/sipp at the agent address (e.g. `agent-ring.xml`), traced. */
  async startAgentScenario(options: ScenarioOptions): Promise<SippProcess> {
    await this.#agentAddressFree();
    const sipp = await this.#startScenario(options, 'agent', this.#options.agentSip);
    this.#agentSipp = sipp;
    return sipp;
  }

  /** Starts the agent, then the customer's call to it. */
  async placeCall(options: { agent?: AgentOptions; customer: CustomerOptions }): Promise<PlacedCall> {
    const agent = await this.startAgent(options.agent);
    return { agent, customer: await this.startCustomer(options.customer) };
  }

  /**
   * Several calls at once, each with a sink of its own: one agent UAS answering them all
   * (agent-uas-multi.xml; it exits once every call ended), the customers started one by one, each once
   * the previous call's INVITE reached the agent (so the UAS gives the calls its sinks in this order).
   * `onPlaced` hears of each call as soon as it reached the agent, before the next is started (a
   * payment can then start on it before its customer keys, whatever the size of the group).
   */
  async placeCallGroup(
    customers: readonly CustomerOptions[],
    agentId = 'agent-7',
    onPlaced?: (call: PlacedCall, index: number) => void,
  ): Promise<PlacedCall[]> {
    await this.#agentAddressFree();
    const n = ++this.#count;
    const cwd = this.#callDir(n);
    const sip = this.#options.agentSip;
    const sinks: RtpSink[] = [];
    for (const _ of customers) {
      const sink = await RtpSink.open({ address: sip.address, port: 0 });
      this.#sinks.add(sink);
      sinks.push(sink);
    }
    const lines = sinks.map((sink) => `${sink.address.port};${agentId}`);
    writeFileSync(join(cwd, 'sinks.csv'), `SEQUENTIAL\n${lines.join('\n')}\n`);
    const longestMs = Math.max(...customers.map((c) => c.holdMs ?? c.pcap.durationMs + 800));
    const sipp = await startSipp({
      scenario: 'agent-uas-multi.xml',
      name: `${this.name}-${n}-agents`,
      cwd,
      logDir: this.logDir,
      sip,
      media: { address: sip.address, port: await freeUdpPort(sip.address, { span: 4 }) },
      vars: { sink_ip: sip.address },
      calls: customers.length,
      timeoutS: Math.ceil(longestMs / 1000) + 10 * customers.length + 30,
      traceMessages: true,
      extraArgs: ['-inf', join(cwd, 'sinks.csv')],
    });
    this.#processes.add(sipp);
    this.#agentSipp = sipp;
    const calls: PlacedCall[] = [];
    for (const [i, options] of customers.entries()) {
      const sink = sinks[i] as RtpSink;
      const customer = await this.startCustomer(options);
      await reached(sipp, customer.sipCallId);
      const call: PlacedCall = { agent: { sipp, sink, agentId }, customer };
      calls.push(call);
      onPlaced?.(call, i);
    }
    return calls;
  }

  /**
   * Waits for the call to end normally: the customer's SIPp and the agent's exit 0 (every message
   * as the scenario expects, BYE answered), then the agent's stream goes quiet.
   */
  async finish(call: PlacedCall, extraMs = 15_000): Promise<void> {
    await call.customer.sipp.succeeded(call.customer.holdMs + extraMs);
    await call.agent.sipp.succeeded(extraMs);
    if (call.agent.sink && call.agent.sink.records.length > 0) await call.agent.sink.waitForQuiet(200, 5000);
  }

  /** Kills every SIPp still running (by PID), closes the sinks, removes the temp dir. Safe to call twice. */
  async cleanup(): Promise<void> {
    const processes = [...this.#processes];
    this.#processes.clear();
    await Promise.all(processes.map((sipp) => sipp.kill()));
    const sinks = [...this.#sinks];
    this.#sinks.clear();
    await Promise.all(sinks.map((sink) => sink.close()));
    rmSync(this.#workDir, { recursive: true, force: true });
  }

  async #startScenario(
    options: ScenarioOptions,
    role: 'customer' | 'agent',
    sip: { address: string; port: number },
  ): Promise<SippProcess> {
    const n = ++this.#count;
    const sipp = await startSipp({
      scenario: options.scenario,
      name: `${this.name}-${n}-${role}`,
      cwd: this.#callDir(n),
      logDir: this.logDir,
      ...(role === 'customer' ? { remote: this.#options.proxy, extraArgs: ['-s', '1000'] } : {}),
      sip,
      media: { address: sip.address, port: await freeUdpPort(sip.address, { span: 4 }) },
      vars: options.vars ?? {},
      traceMessages: true,
      ...(options.timeoutS === undefined ? {} : { timeoutS: options.timeoutS }),
    });
    this.#processes.add(sipp);
    return sipp;
  }

  /** Waits for the agent of the previous call to finish (it should: every scenario ends its call). */
  async #agentAddressFree(): Promise<void> {
    if (this.#agentSipp?.running) await this.#agentSipp.succeeded(15_000);
  }

  #callDir(n: number): string {
    const dir = join(this.#workDir, String(n));
    mkdirSync(dir, { recursive: true });
    return dir;
  }
}

/** Waits until the agent's SIPp has received the INVITE of `sipCallId` (its message trace says so). */
async function reached(agent: SippProcess, sipCallId: string): Promise<void> {
  const deadline = Date.now() + 5000;
  const needle = `Call-ID: ${sipCallId}`;
  while (
    !(
      agent.messageFile &&
      existsSync(agent.messageFile) &&
      readFileSync(agent.messageFile, 'utf8').includes(needle)
    )
  ) {
    if (Date.now() > deadline) throw new Error(`the agent did not receive the INVITE of ${sipCallId} in 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

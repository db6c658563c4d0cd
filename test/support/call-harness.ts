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
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DtmfPcap } from './dtmf-pcap.js';
import { RtpSink } from './media/rtp-sink.js';
import { freeUdpPort } from './ports.js';
import { SIPP_SCENARIO_DIR, type SippProcess, startSipp } from './sipp.js';
import { REPO_ROOT, TEST_RUN_NAME } from './stack.js';

export interface CallHarnessOptions {
  /** Prefix of the log files (e.g. the test file's topic). */
  name: string;
  /** Where SIPp logs go (default `.run/test/sipp`). */
  logDir?: string;
  /** Kamailio's SIP address (default 127.0.0.1:5060, the test stack). */
  proxy?: string;
  /** Where Kamailio sends inbound calls (default 127.0.0.2:5080, TONEWALL_PBX_TARGET). */
  agentSip?: { address: string; port: number };
  /** The customer's address: anything but the PBX source 127.0.0.2 (default 127.0.0.1). */
  customerAddress?: string;
}

export interface AgentOptions {
  /** Sent as X-Agent-Id in the 200 OK (default `agent-7`). */
  agentId?: string;
  /**
   * Digits the agent keys itself: runs test/sipp/agent-keys-digits.xml playing this pcap (its SDP
   * then points at SIPp, so there is no sink). Without it: agent-uas.xml answering towards a sink.
   */
  keys?: DtmfPcap;
}

export interface Agent {
  readonly sipp: SippProcess;
  /** What the agent receives (undefined when the agent keys digits itself). */
  readonly sink: RtpSink | undefined;
  readonly agentId: string;
}

export interface CustomerOptions {
  /** Whether the SDP offers telephone-event/8000 (customer-pcmu-te.xml) or PCMU only (customer-pcmu.xml). */
  telephoneEvent: boolean;
  /** What the customer plays after the answer. */
  pcap: DtmfPcap;
  /** How long the call lasts after the answer (default: the pcap's length + 800 ms). */
  holdMs?: number;
  /** Another customer scenario in test/sipp (e.g. `customer-reinvite.xml`). */
  scenario?: string;
}

export interface CustomerCall {
  readonly sipp: SippProcess;
  /** Call-ID of the INVITE: `1-<pid>@<address>` (SIPp's `-cid_str %u-%p@%s`). */
  readonly sipCallId: string;
  /** The customer's From tag (`<pid>c1` in the scenarios): rtpengine's `source_tag` for its digits. */
  readonly fromTag: string;
  readonly pcap: DtmfPcap;
  readonly holdMs: number;
}

export interface PlacedCall {
  readonly agent: Agent;
  readonly customer: CustomerCall;
}

export interface ScenarioOptions {
  /** A scenario in test/sipp, e.g. `customer-cancel.xml`, `agent-ring.xml`. */
  scenario: string;
  /** Its `-set` values. */
  vars?: Readonly<Record<string, string>>;
  /** SIPp fails when it runs longer than this (default 60 s). */
  timeoutS?: number;
}

export interface CustomerScenario {
  readonly sipp: SippProcess;
  /** Call-ID of the INVITE: `1-<pid>@<address>`. */
  readonly sipCallId: string;
}

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
    const vars: Record<string, string> = { agent_id: agentId };
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
      scenario: options.keys ? 'agent-keys-digits.xml' : 'agent-uas.xml',
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
    const sipp = await startSipp({
      scenario: options.scenario ?? (options.telephoneEvent ? 'customer-pcmu-te.xml' : 'customer-pcmu.xml'),
      name: `${this.name}-${n}-customer`,
      cwd,
      logDir: this.logDir,
      remote: this.#options.proxy,
      sip: { address, port: await freeUdpPort(address) },
      media: { address, port: await freeUdpPort(address, { span: 4 }) },
      vars: { hold_ms: String(holdMs) },
      extraArgs: ['-s', '1000'],
    });
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
    const customer = await this.startCustomer(options.customer);
    return { agent, customer };
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

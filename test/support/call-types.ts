/** The shapes CallHarness (call-harness.ts) takes and gives. */
import type { DtmfPcap } from './dtmf-pcap.js';
import type { RtpSink } from './media/rtp-sink.js';
import type { SippProcess } from './sipp.js';

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
  /**
   * Another PBX scenario answering towards a sink with the same variables (e.g. `agent-ivr.xml`:
   * an IVR answers, an agent is named later), and the variables it adds (`ivr_ms`); with `keys`,
   * one that plays them instead of agent-keys-digits.xml.
   */
  scenario?: string;
  vars?: Readonly<Record<string, string>>;
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
  /** The variables that scenario adds (its `-set` values beside `hold_ms`). */
  vars?: Readonly<Record<string, string>>;
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

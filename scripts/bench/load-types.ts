/** What one load takes and what it gives back (load-run.ts runs it; no key in any of it). */
import type { NgClient } from '../../src/adapters/rtpengine/ng-client.js';
import type { MaskingMode } from './bench-ports.js';
import type { StackPids } from './bench-services.js';
import type { PacketToDesk } from './desk-pairing.js';

export interface LoadOptions {
  calls: number;
  masking: MaskingMode;
  /** Calls per second SIPp places. */
  rate: number;
  /** How many calls' media tcpdump captures for the delay. */
  probes: number;
  workDir: string;
  apiKey: string;
  gatewayUrl: string;
  gatewayPid: number;
  gatewayLog: string;
  stackPids: StackPids;
  /** NG clients of the edge and the mask rtpengine: `query` (delay probe) and, unmasked, `unblock DTMF`. */
  ng: { edge: NgClient; mask: NgClient };
  log: (line: string) => void;
}

/** One call of a load, as the bench saw it (no key: counts, outcomes and times only). */
export interface CallRecord {
  /** SIPp's call number (from 1); its layout is the mix's `(n − 1) mod size`. */
  readonly n: number;
  readonly layout: string;
  /** Reports the gateway accepted for the call (a full card is 24 keys). */
  readonly keys: number;
  /** What it should accept for this layout (customer-mix.ts `keysAccepted`); a call that cannot pay when short. */
  readonly keysExpected: number;
  /** The payment's last status (`succeeded`, `failed …`, `none` when no payment started). */
  readonly outcome: string;
  /** What the agent's endpoint received, whole call; undefined when no endpoint was matched to the call. */
  readonly agent?: {
    readonly packets: number;
    readonly drops: number;
    readonly digitEvents: number;
    readonly toneMs: number;
  };
  /** The customer's PCMU packets the agent should hear (masked: those after the keys, where the payment's mute has ended), 20 ms equivalents: it should get at least half. */
  readonly expectedPackets: number;
  /** Added one-way delay per probe burst, ms (probed calls only): before the keys and after them. */
  readonly delayEarlyMs?: readonly number[];
  readonly delayLateMs?: readonly number[];
}

export interface LoadResult {
  readonly calls: number;
  readonly masking: MaskingMode;
  readonly startedAt: string;
  /** The machine's 1-minute load average as the run started (other helpers' tests share it). */
  readonly loadAverage: number;
  /** Calls the gateway listed as answered. */
  readonly setUp: number;
  /** Whether all N were up together (else no CPU window: an overloaded machine set them up too slowly). */
  readonly allUpAtOnce?: boolean;
  readonly paymentsStarted: number;
  readonly succeeded: number;
  readonly keysKeyed: number;
  readonly perCall: readonly CallRecord[];
  /** Agent endpoints whose call could not be told (no agent id in the gateway's list). */
  readonly unmatchedAgents: number;
  readonly keyToScreenMs: number[];
  readonly lastKeyToOutcomeMs: number[];
  /** Calls whose frames could not be paired one per key. */
  readonly inexactCalls: number;
  /** % of one core over the window in which all calls were up, per process group, and `machine` (everything). */
  readonly cpu: Record<string, number>;
  /** Each rtpengine hop's threads over the same window, by thread name, % of one core. */
  readonly cpuThreads?: Record<string, Record<string, number>>;
  readonly cpuWindowS: number;
  /** The same groups from the first SIPp's start to the last one's end: every call, ramp and keys included. */
  readonly cpuWholeRun?: Record<string, number>;
  readonly cpuThreadsWholeRun?: Record<string, Record<string, number>>;
  readonly cpuWholeRunS?: number;
  /** Peak resident set (VmHWM) of each long-lived process at the end of the load, MiB. */
  readonly peakMib?: Record<string, number>;
  readonly gatewayPeakMib: number | undefined;
  /** The gateway's peak before the load (start-up), for comparison. */
  readonly gatewayStartPeakMib?: number | undefined;
  /** DTMF reports the kernel dropped before the gateway read them (its sockets' receive buffers). */
  readonly dtmfDrops: number;
  /**
   * Payments whose customer the gateway could not mute on the mute hop (its log line): masked, none;
   * masking off, every payment (the mute goes nowhere, so the agent hears the keys: the control).
   */
  readonly captureRaiseFailures?: number;
  /**
   * The customer's RFC 4733 end packet of each digit (captured on lo) → the agent's desk in headless
   * Chromium drawing the new digit count, for up to 5 probed calls (agent-desks.ts); older benches: none.
   */
  readonly packetToDesk?: PacketToDesk;
  readonly problems: string[];
}

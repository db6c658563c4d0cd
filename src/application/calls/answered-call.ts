/** Before an agent is connected (`ivr`), or with one (`agent`): docs/calls.md, "Call phases". */
export type CallPhase = 'ivr' | 'agent';

/**
 * A call Kamailio reports answered (and lists again on a resync): what the registry needs of it. The
 * Kamailio adapter parses its events and dialog lists into this shape.
 */
export interface AnsweredCall {
  readonly callId: string;
  readonly fromTag: string;
  readonly toTag: string;
  readonly customerTag: string;
  readonly agentTag: string;
  readonly direction: 'inbound' | 'outbound';
  readonly caller: string;
  readonly callee: string;
  /** The agent; empty while the call is before its agent (an IVR or queue answered it). */
  readonly agent: string;
  readonly masking: 'on' | 'off';
  /**
   * `agent` (the default): an agent took the call, masking applies from here. `ivr`: with
   * TONEWALL_MASKING_FROM=agent, the PBX's IVR or queue answered and no agent is connected yet; the
   * customer's keys reach the PBX unmasked (menus work) and no payment may start.
   */
  readonly phase?: CallPhase;
  /** When it was answered, in seconds since the epoch (Kamailio's clock). */
  readonly ts: number;
  /** The rtpengine node carrying its media (`udp:HOST:PORT`, Kamailio's `media_node`): its chain. */
  readonly mediaNode?: string;
}

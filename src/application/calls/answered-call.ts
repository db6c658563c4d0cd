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
  readonly agent: string;
  readonly masking: 'on' | 'off';
  /** When it was answered, in seconds since the epoch (Kamailio's clock). */
  readonly ts: number;
}

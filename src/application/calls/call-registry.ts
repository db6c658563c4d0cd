import { createHash } from 'node:crypto';
import { idWithoutPanLikeRun } from '../../domain/resource-id.js';
import type { AnsweredCall, CallPhase } from './answered-call.js';

/** One answered call the gateway knows of. No card data, ever. */
export interface Call {
  /** Opaque, stable id derived from the SIP Call-ID, so it survives a gateway restart. */
  readonly id: string;
  readonly sipCallId: string;
  readonly direction: 'inbound' | 'outbound';
  /** The customer's SIP user (caller on inbound calls, callee on outbound). */
  readonly customer: string;
  readonly agent: string;
  readonly customerTag: string;
  readonly agentTag: string;
  readonly answeredAt: string;
  readonly masking: 'on' | 'off';
  /** `ivr` until an agent is connected (TONEWALL_MASKING_FROM=agent), then `agent` for good. */
  readonly phase: CallPhase;
  /** The rtpengine node of its media chain (`udp:HOST:PORT`), when Kamailio names it (chain-ownership.ts). */
  readonly mediaNode?: string;
}

/** An agent connected to a call, or the call moved to another agent: who, and whether masking holds. */
export interface AgentConnected {
  readonly agent: string;
  readonly masking: 'on' | 'off';
}

/** `via`: Kamailio's answer event, or a resync with its dialog list (after a restart or a reconnect). */
export type CallChange =
  | { type: 'added'; call: Call; via: 'answer' | 'resync' }
  | { type: 'removed'; call: Call; reason: string }
  /**
   * The call's agent changed: the first agent after the IVR (`previous.phase` is `ivr`), or a
   * transfer to another agent. `via`: the PBX's re-INVITE or UPDATE (`sip`), the API (`api`), a resync.
   */
  | { type: 'agent'; call: Call; previous: Call; via: 'sip' | 'api' | 'resync' };

/** The call's id: a hash of its SIP Call-ID (stable across gateway restarts), never PAN-like. */
export function callIdFor(sipCallId: string): string {
  const hash = (attempt: number) =>
    createHash('sha256')
      .update(attempt === 0 ? sipCallId : `${sipCallId}\n${attempt}`)
      .digest('hex')
      .slice(0, 32);
  return `CA${idWithoutPanLikeRun(hash)}`;
}

function callFromEvent(event: AnsweredCall): Call {
  return {
    id: callIdFor(event.callId),
    sipCallId: event.callId,
    direction: event.direction,
    customer: event.direction === 'inbound' ? event.caller : event.callee,
    agent: event.agent,
    customerTag: event.customerTag,
    agentTag: event.agentTag,
    answeredAt: new Date(event.ts * 1000).toISOString(),
    masking: event.masking,
    phase: event.phase ?? 'agent',
    ...(event.mediaNode ? { mediaNode: event.mediaNode } : {}),
  };
}

/** Active calls, fed by Kamailio's events and rebuilt from its dialog list after a reconnect. */
export class CallRegistry {
  readonly #bySipCallId = new Map<string, Call>();
  readonly #listeners = new Set<(change: CallChange) => void>();

  get size(): number {
    return this.#bySipCallId.size;
  }

  onChange(listener: (change: CallChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  answered(event: AnsweredCall, via: 'answer' | 'resync' = 'answer'): Call {
    const existing = this.#bySipCallId.get(event.callId);
    if (existing) return existing;
    const call = callFromEvent(event);
    this.#bySipCallId.set(call.sipCallId, call);
    this.#emit({ type: 'added', call, via });
    return call;
  }

  /**
   * An agent is connected to the call (or it moved to another): the call enters the `agent` phase and
   * stays there. Masking once on stays on: a later `off` (a hop that did not answer) keeps `on` only
   * if it was on already. Undefined when the call is not known; no change when nothing changed.
   */
  agentConnected(
    sipCallId: string,
    connected: AgentConnected,
    via: 'sip' | 'api' | 'resync',
  ): Call | undefined {
    const previous = this.#bySipCallId.get(sipCallId);
    if (!previous) return undefined;
    const masking = previous.phase === 'agent' && previous.masking === 'on' ? 'on' : connected.masking;
    if (previous.phase === 'agent' && previous.agent === connected.agent && previous.masking === masking) {
      return previous;
    }
    const call: Call = { ...previous, agent: connected.agent, masking, phase: 'agent' };
    this.#bySipCallId.set(sipCallId, call);
    this.#emit({ type: 'agent', call, previous, via });
    return call;
  }

  ended(sipCallId: string, reason: string): void {
    const call = this.#bySipCallId.get(sipCallId);
    if (!call) return;
    this.#bySipCallId.delete(sipCallId);
    this.#emit({ type: 'removed', call, reason });
  }

  /** Makes the registry equal to `snapshot` (Kamailio's view): adds the missing, ends the gone. */
  reconcile(snapshot: readonly AnsweredCall[]): { added: number; removed: number } {
    const live = new Set(snapshot.map((event) => event.callId));
    let removed = 0;
    for (const sipCallId of [...this.#bySipCallId.keys()]) {
      if (!live.has(sipCallId)) {
        this.ended(sipCallId, 'gone-after-resync');
        removed += 1;
      }
    }
    const before = this.size;
    for (const event of snapshot) {
      const known = this.#bySipCallId.get(event.callId);
      // an agent connected (or a transfer) while the gateway was not listening
      if (
        known &&
        (event.phase ?? 'agent') === 'agent' &&
        (known.phase === 'ivr' || known.agent !== event.agent)
      ) {
        this.agentConnected(event.callId, { agent: event.agent, masking: event.masking }, 'resync');
      } else {
        this.answered(event, 'resync');
      }
    }
    return { added: this.size - before, removed };
  }

  bySipCallId(sipCallId: string): Call | undefined {
    return this.#bySipCallId.get(sipCallId);
  }

  byId(id: string): Call | undefined {
    for (const call of this.#bySipCallId.values()) if (call.id === id) return call;
    return undefined;
  }

  list(): Call[] {
    return [...this.#bySipCallId.values()];
  }

  #emit(change: CallChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}

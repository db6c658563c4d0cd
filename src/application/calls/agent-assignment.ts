import { GatewayError } from '../../errors.js';
import type { Call, CallRegistry } from './call-registry.js';

/**
 * What names a call's agent in the call path (Kamailio: the same as a PBX's re-INVITE naming the
 * agent, so masking goes on there, fail-closed, and its dialog keeps the agent across a gateway
 * restart). Resolves with the masking that holds afterwards; throws GW_ERR_NOT_FOUND when the call
 * path no longer has the call, GW_ERR_CALL_CONTROL when it cannot be asked.
 */
export interface CallAgentPort {
  assign(call: Call, agent: string): Promise<{ masking: 'on' | 'off' }>;
}

/**
 * An integration names a call's agent (PUT /v1/calls/{id}/agent) instead of the PBX: after an IVR
 * (masking from the agent, docs/calls.md) or as a transfer. The call path applies it first; the
 * registry follows (Kamailio's `call-agent` event says the same a moment later and changes nothing).
 */
export class AgentAssignment {
  readonly #registry: CallRegistry;
  readonly #port: CallAgentPort;

  constructor(options: { registry: CallRegistry; port: CallAgentPort }) {
    this.#registry = options.registry;
    this.#port = options.port;
  }

  async assign(callId: string, agent: string): Promise<Call> {
    const call = this.#registry.byId(callId);
    if (!call) throw new GatewayError('GW_ERR_NOT_FOUND', 'no such active call');
    const { masking } = await this.#port.assign(call, agent);
    const updated = this.#registry.agentConnected(call.sipCallId, { agent, masking }, 'api');
    if (!updated) throw new GatewayError('GW_ERR_NOT_FOUND', 'the call ended');
    return updated;
  }
}

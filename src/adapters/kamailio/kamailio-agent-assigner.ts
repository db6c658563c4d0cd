import { z } from 'zod';
import type { CallAgentPort } from '../../application/calls/agent-assignment.js';
import type { Call } from '../../application/calls/call-registry.js';
import { GatewayError } from '../../errors.js';

const replySchema = z.object({ masking: z.enum(['on', 'off']), phase: z.enum(['ivr', 'agent']) });

/**
 * Names a call's agent through Kamailio: `POST /agent` on its HTTP (JSON-RPC) listener, handled by
 * sip-config/kamailio.cfg route AGENT_FROM_GATEWAY — the dialog is found by Call-ID and tags, masking
 * goes on as when the PBX names the agent, the dialog keeps the agent, and evapi says `call-agent`.
 */
export class KamailioAgentAssigner implements CallAgentPort {
  readonly #url: string;
  readonly #timeoutMs: number;

  /** `rpcUrl`: Kamailio's JSON-RPC URL (`http://host:port/RPC`); `/agent` is beside it. */
  constructor(options: { rpcUrl: string; timeoutMs: number }) {
    this.#url = new URL('/agent', options.rpcUrl).toString();
    this.#timeoutMs = options.timeoutMs;
  }

  async assign(call: Call, agent: string): Promise<{ masking: 'on' | 'off' }> {
    // the dialog's From and To tags: the customer is the caller on inbound calls
    const [fromTag, toTag] =
      call.direction === 'inbound' ? [call.customerTag, call.agentTag] : [call.agentTag, call.customerTag];
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ callId: call.sipCallId, fromTag, toTag, agent }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (cause) {
      throw new GatewayError('GW_ERR_CALL_CONTROL', 'Kamailio could not be reached to name the agent', {
        cause,
      });
    }
    const text = await response.text();
    if (response.status === 404)
      throw new GatewayError('GW_ERR_NOT_FOUND', 'the call path no longer has the call');
    if (response.status !== 200) {
      throw new GatewayError(
        'GW_ERR_CALL_CONTROL',
        `Kamailio refused to name the agent (HTTP ${response.status})`,
      );
    }
    let parsed: ReturnType<typeof replySchema.safeParse>;
    try {
      parsed = replySchema.safeParse(JSON.parse(text));
    } catch {
      parsed = replySchema.safeParse(undefined);
    }
    if (!parsed.success)
      throw new GatewayError('GW_ERR_CALL_CONTROL', "Kamailio's answer was not understood");
    return { masking: parsed.data.masking };
  }
}

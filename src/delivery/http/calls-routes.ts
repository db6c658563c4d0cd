import { Router } from 'express';
import type { AgentAssignment } from '../../application/calls/agent-assignment.js';
import type { Call, CallRegistry } from '../../application/calls/call-registry.js';
import { assignAgentSchema } from './api-schemas.js';
import { principalNameOf, type RecordAction } from './audit-actions.js';
import { requireRole, visibleCall } from './authorize.js';
import { paginate } from './pagination.js';
import { checkId, parseBody } from './parse-body.js';

/** The public view of a call (DESIGN.md): no tags, nothing a client could use to inject events. */
export function callView(call: Call) {
  return {
    id: call.id,
    sipCallId: call.sipCallId,
    direction: call.direction,
    customer: call.customer,
    agent: call.agent,
    answeredAt: call.answeredAt,
    masking: call.masking,
    phase: call.phase,
  };
}

export interface CallsRoutesOptions {
  /** Names a call's agent through the call path (PUT …/agent); absent: the route is not served. */
  readonly agents?: AgentAssignment;
  /** Records API actions in the audit trail before they are acknowledged. */
  readonly recordAction?: RecordAction;
}

export function callsRoutes(registry: CallRegistry, options: CallsRoutesOptions = {}): Router {
  const router = Router();
  /**
   * Agents see their own calls; supervisors, admins and integration keys see every call. Oldest
   * answered first, `?limit=` a page and `nextCursor` while there are more.
   */
  router.get('/v1/calls', (request, response) => {
    const principal = requireRole(response, 'calls:read', 'agent', 'supervisor', 'admin');
    const visible = registry.list().filter((call) => visibleCall(principal, call));
    const page = paginate(visible, request.query, { sortKey: (call) => `${call.answeredAt}\n${call.id}` });
    response.json({
      calls: page.items.map(callView),
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    });
  });
  /**
   * An integration (or an admin) names the call's agent, as the PBX would with a re-INVITE: after an
   * IVR masking goes on in the call path first; a different agent is a transfer (docs/calls.md).
   */
  const { agents } = options;
  if (agents) {
    router.put('/v1/calls/:callId/agent', async (request, response) => {
      const callId = checkId(request.params.callId, 'call');
      requireRole(response, 'calls:write', 'admin');
      const { agentId } = parseBody(assignAgentSchema, request.body);
      await options.recordAction?.({
        principal: principalNameOf(response),
        action: 'call.agent.assign',
        outcome: 'allowed',
        callId,
      });
      response.json(callView(await agents.assign(callId, agentId)));
    });
  }
  return router;
}

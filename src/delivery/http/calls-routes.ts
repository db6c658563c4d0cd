import { Router } from 'express';
import type { Call, CallRegistry } from '../../application/call-registry.js';
import { requireRole, visibleCall } from './authorize.js';

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
  };
}

export function callsRoutes(registry: CallRegistry): Router {
  const router = Router();
  /** Agents see their own calls; supervisors, admins and integration keys see every call. */
  router.get('/v1/calls', (_request, response) => {
    const principal = requireRole(response, 'agent', 'supervisor', 'admin');
    response.json({
      calls: registry
        .list()
        .filter((call) => visibleCall(principal, call))
        .map(callView),
    });
  });
  return router;
}

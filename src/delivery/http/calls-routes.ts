import { Router } from 'express';
import type { Call, CallRegistry } from '../../application/calls/call-registry.js';
import { requireRole, visibleCall } from './authorize.js';
import { paginate } from './pagination.js';

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

export function callsRoutes(registry: CallRegistry): Router {
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
  return router;
}

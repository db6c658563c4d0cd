import { Router } from 'express';
import type { Call, CallRegistry } from '../../application/call-registry.js';

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
  router.get('/v1/calls', (_request, response) => {
    // Integration keys see every call; per-agent filtering comes with agent sign-in.
    response.json({ calls: registry.list().map(callView) });
  });
  return router;
}

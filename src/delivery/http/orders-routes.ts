import { Router } from 'express';
import type { CallRegistry } from '../../application/calls/call-registry.js';
import type { OrderBook } from '../../application/payments/order-book.js';
import { GatewayError } from '../../errors.js';
import { principalNameOf, type RecordAction } from './audit-actions.js';
import { requireActOnCall, requireRole, seesEverything } from './authorize.js';
import { orderForPeople, parseCreateOrder } from './order-schemas.js';

const ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

export interface OrdersRoutesOptions {
  readonly registry: CallRegistry;
  readonly orders: OrderBook;
  readonly webhooksEnabled: boolean;
  readonly recordAction?: RecordAction;
}

/**
 * Orders (issue 16, least privilege): an integration sets amount, currency, token type and status
 * callback for a payment on a call; the call's agent lists them and starts a payment from one
 * (`orderId` in POST /v1/calls/{callId}/payments) without choosing any of it.
 */
export function ordersRoutes(options: OrdersRoutesOptions): Router {
  const router = Router();
  const activeCall = (value: string | undefined) => {
    const call = value && ID_PATTERN.test(value) ? options.registry.byId(value) : undefined;
    if (!call) throw new GatewayError('GW_ERR_NOT_FOUND', 'no such active call');
    return call;
  };

  router.post('/v1/calls/:callId/orders', async (request, response) => {
    const principal = requireRole(response, 'payments:write');
    if (principal.kind !== 'integration') {
      throw new GatewayError('GW_ERR_FORBIDDEN', 'orders are made by integrations, not by people');
    }
    const call = activeCall(request.params.callId);
    const { terms, ttlMs } = parseCreateOrder(request.body);
    if (terms.statusCallback !== undefined && !options.webhooksEnabled) {
      throw new GatewayError(
        'GW_ERR_INVALID_BODY',
        '"statusCallback" needs webhooks, which are off (no TONEWALL_WEBHOOK_SECRET)',
      );
    }
    const order = options.orders.create(call.id, terms, { createdBy: principalNameOf(response), ttlMs });
    await options.recordAction?.({
      principal: principalNameOf(response),
      action: 'order.create',
      outcome: 'allowed',
      callId: call.id,
    });
    response.status(201).json({ order });
  });

  router.get('/v1/calls/:callId/orders', (request, response) => {
    const principal = requireRole(response, 'payments:read', 'agent', 'supervisor', 'admin');
    const call = activeCall(request.params.callId);
    if (!seesEverything(principal)) requireActOnCall(response, call);
    const orders = options.orders.forCall(call.id);
    response.json({ orders: principal.kind === 'integration' ? orders : orders.map(orderForPeople) });
  });

  return router;
}

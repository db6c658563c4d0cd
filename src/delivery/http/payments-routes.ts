import { type Response, Router } from 'express';
import type { Scope } from '../../application/access/principal.js';
import type { CallRegistry } from '../../application/calls/call-registry.js';
import type { OrderBook, PaymentOrder } from '../../application/payments/order-book.js';
import type { PaymentBoard } from '../../application/payments/payment-board.js';
import type { PaymentUpdate } from '../../application/payments/payment-ports.js';
import type { PaymentService } from '../../application/payments/payment-service.js';
import type { AgentPaymentLimits } from '../../config/access-settings.js';
import type { AgentView } from '../../domain/capture/agent-view.js';
import { isTerminalStatus } from '../../domain/capture/capture-types.js';
import { toPeopleView } from '../../domain/capture/people-view.js';
import { GatewayError } from '../../errors.js';
import { checkAgentPayment } from './agent-payment-limits.js';
import { principalNameOf, type RecordAction } from './audit-actions.js';
import { requireActOnCall, requireRole, seesEverything } from './authorize.js';
import { paginate } from './pagination.js';
import { checkId } from './parse-body.js';
import { parseCreatePayment, parseUpdatePayment } from './payment-schemas.js';
import type { StreamGuard } from './stream-guard.js';

/** The payment endpoints of DESIGN.md's public contract. Bodies and replies carry no card data. */
export interface PaymentsRoutesOptions {
  registry: CallRegistry;
  board: PaymentBoard;
  webhooksEnabled: boolean;
  /** Records each action in the audit trail before the answer goes out. */
  recordAction?: RecordAction;
  heartbeatMs?: number;
  /** What a person may start a payment with. */
  agentLimits: AgentPaymentLimits;
  /** Ends a payment's event stream when the credentials that opened it end. */
  streamGuard?: StreamGuard;
  /** Integrations' orders: a payment may be started from one (`orderId`). */
  orders: OrderBook;
}

function termsOf(order: PaymentOrder) {
  return {
    chargeAmount: order.chargeAmount,
    currency: order.currency,
    tokenType: order.tokenType,
    ...(order.description === undefined ? {} : { description: order.description }),
    ...(order.statusCallback === undefined ? {} : { statusCallback: order.statusCallback }),
  };
}

/** The payment as this caller may see it: people get no token and no expiry (people-view.ts). */
function viewFor(response: Response, view: ReturnType<PaymentService['get']>) {
  if (response.locals.principal?.kind === 'integration') return view;
  // a view restored from the status file carries the outcome only
  return view.result !== undefined && 'token' in view.result ? toPeopleView(view as AgentView) : view;
}

export function paymentsRoutes(payments: PaymentService, options: PaymentsRoutesOptions): Router {
  const router = Router();

  const record = async (response: Response, action: string, callId: string, paymentId?: string) => {
    await options.recordAction?.({
      principal: principalNameOf(response),
      action,
      outcome: 'allowed',
      callId,
      ...(paymentId === undefined ? {} : { paymentId }),
    });
  };

  router.post('/v1/calls/:callId/payments', async (request, response) => {
    const callId = checkId(request.params.callId, 'call');
    requireRole(response, 'payments:write', 'agent');
    const { orderId, ...asked } = parseCreatePayment(request.body);
    // from an integration's order: its terms, not the caller's; else a person's own within the limits
    const order = orderId === undefined ? undefined : options.orders.take(orderId, callId);
    const paymentRequest = order === undefined ? asked : { ...asked, ...termsOf(order) };
    if (order === undefined)
      checkAgentPayment(response.locals.principal, paymentRequest, options.agentLimits);
    // a retried create after the caller hung up still finds its payment (and the call it was on)
    const call = options.registry.byId(callId) ?? payments.replayCall(callId, paymentRequest.idempotencyKey);
    if (!call) throw new GatewayError('GW_ERR_NOT_FOUND', 'no such active call');
    requireActOnCall(response, call);
    if (paymentRequest.statusCallback !== undefined && !options.webhooksEnabled) {
      throw new GatewayError(
        'GW_ERR_INVALID_BODY',
        '"statusCallback" needs webhooks, which are off (no TONEWALL_WEBHOOK_SECRET)',
      );
    }
    const result = payments.create(callId, paymentRequest);
    const { view } = result;
    if (order !== undefined) options.orders.link(view.id, order.id);
    if (result.created) {
      options.board.track(result.view, call);
      await record(response, 'payment.create', callId, view.id);
    }
    response.status(result.created ? 201 : 200).json(viewFor(response, view));
  });

  /**
   * Status only, for supervisors (every payment) and agents (their own); `?active=true` for live ones.
   * Newest first, `?limit=` a page and `nextCursor` while there are more.
   */
  router.get('/v1/payments', (request, response) => {
    const principal = requireRole(response, 'payments:read', 'agent', 'supervisor', 'admin');
    const active = request.query.active === 'true';
    const agent =
      seesEverything(principal) || principal.kind !== 'user' ? undefined : (principal.agentId ?? '');
    const listed = options.board.list({ active, ...(agent === undefined ? {} : { agent }) });
    const page = paginate(listed, request.query, {
      sortKey: (entry) => `${entry.startedAt}\n${entry.id}`,
      descending: true,
    });
    response.json({
      payments: page.items,
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    });
  });

  /** The payment's id, once the caller is allowed to see its full agent view and act on it. */
  const ownPayment = (value: string | undefined, response: Response, scope: Scope): string => {
    const paymentId = checkId(value, 'payment');
    requireRole(response, scope, 'agent');
    requireActOnCall(response, payments.callOf(paymentId));
    return paymentId;
  };

  router.get('/v1/payments/:paymentId', (request, response) => {
    response.json(
      viewFor(response, payments.get(ownPayment(request.params.paymentId, response, 'payments:read'))),
    );
  });

  router.post('/v1/payments/:paymentId', async (request, response) => {
    const paymentId = ownPayment(request.params.paymentId, response, 'payments:write');
    const update = parseUpdatePayment(request.body);
    let view: AgentView;
    let action: string;
    if ('capture' in update) {
      view = payments.captureField(paymentId, update.capture);
      action = 'payment.capture';
    } else if (update.status === 'complete') {
      view = payments.complete(paymentId);
      action = 'payment.complete';
    } else {
      view = payments.cancel(paymentId);
      action = 'payment.cancel';
    }
    await record(response, action, view.callId, paymentId);
    response.json(viewFor(response, view));
  });

  router.get('/v1/payments/:paymentId/events', (request, response) => {
    const paymentId = ownPayment(request.params.paymentId, response, 'payments:read');
    const current = payments.get(paymentId);
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    writeFrame(response, { view: viewFor(response, current), sequence: 0 });
    // an earlier run's payment (an `unknown` one included) gets no updates here: GET polls it
    if (isTerminalStatus(current.status) || !payments.isLive(paymentId)) {
      response.end();
      return;
    }
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
    const unsubscribe = payments.subscribe(paymentId, (update) => {
      writeFrame(response, { sequence: update.sequence, view: viewFor(response, update.view) });
      if (isTerminalStatus(update.view.status)) response.end();
    });
    const unguard = options.streamGuard?.watch(request, response, () => response.end());
    response.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      unguard?.();
    });
  });

  return router;
}

/** One SSE frame: a live update, or a stored (possibly restored) view as frame 0. */
function writeFrame(
  response: Response,
  update: Pick<PaymentUpdate, 'sequence'> & { view: ReturnType<typeof viewFor> },
): void {
  response.write(`event: payment\nid: ${update.sequence}\ndata: ${JSON.stringify(update.view)}\n\n`);
}

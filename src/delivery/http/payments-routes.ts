import { type Response, Router } from 'express';
import type { CallRegistry } from '../../application/call-registry.js';
import type { PaymentUpdate } from '../../application/payments/payment-ports.js';
import type { PaymentService } from '../../application/payments/payment-service.js';
import { isTerminalStatus } from '../../domain/capture-types.js';
import { GatewayError } from '../../errors.js';
import { requireActOnCall, requireRole, seesEverything } from './authorize.js';
import type { PaymentBoard } from './payment-board.js';
import { parseCreatePayment, parseUpdatePayment } from './payment-schemas.js';

const ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

function checkId(value: string | undefined, name: string): string {
  if (!value || !ID_PATTERN.test(value)) throw new GatewayError('GW_ERR_NOT_FOUND', `no such ${name}`);
  return value;
}

/** The payment endpoints of DESIGN.md's public contract. Bodies and replies carry no card data. */
export interface PaymentsRoutesOptions {
  registry: CallRegistry;
  board: PaymentBoard;
  webhooksEnabled: boolean;
  heartbeatMs?: number;
}

export function paymentsRoutes(payments: PaymentService, options: PaymentsRoutesOptions): Router {
  const router = Router();

  router.post('/v1/calls/:callId/payments', (request, response) => {
    const callId = checkId(request.params.callId, 'call');
    requireRole(response, 'agent');
    const call = options.registry.byId(callId);
    if (!call) throw new GatewayError('GW_ERR_NOT_FOUND', 'no such active call');
    requireActOnCall(response, call);
    const paymentRequest = parseCreatePayment(request.body);
    if (paymentRequest.statusCallback !== undefined && !options.webhooksEnabled) {
      throw new GatewayError(
        'GW_ERR_INVALID_BODY',
        '"statusCallback" needs webhooks, which are off (no TONEWALL_WEBHOOK_SECRET)',
      );
    }
    const { view, created } = payments.create(callId, paymentRequest);
    options.board.track(view, call);
    response.status(created ? 201 : 200).json(view);
  });

  /** Status only, for supervisors (every payment) and agents (their own); `?active=true` for live ones. */
  router.get('/v1/payments', (request, response) => {
    const principal = requireRole(response, 'agent', 'supervisor', 'admin');
    const active = request.query.active === 'true';
    const agent =
      seesEverything(principal) || principal.kind !== 'user' ? undefined : (principal.agentId ?? '');
    response.json({ payments: options.board.list({ active, ...(agent === undefined ? {} : { agent }) }) });
  });

  /** The payment's id, once the caller is allowed to see its full agent view and act on it. */
  const ownPayment = (value: string | undefined, response: Response): string => {
    const paymentId = checkId(value, 'payment');
    requireRole(response, 'agent');
    requireActOnCall(response, payments.callOf(paymentId));
    return paymentId;
  };

  router.get('/v1/payments/:paymentId', (request, response) => {
    response.json(payments.get(ownPayment(request.params.paymentId, response)));
  });

  router.post('/v1/payments/:paymentId', (request, response) => {
    const paymentId = ownPayment(request.params.paymentId, response);
    const update = parseUpdatePayment(request.body);
    if ('capture' in update) {
      response.json(payments.captureField(paymentId, update.capture));
    } else if (update.status === 'complete') {
      response.json(payments.complete(paymentId));
    } else {
      response.json(payments.cancel(paymentId));
    }
  });

  router.get('/v1/payments/:paymentId/events', (request, response) => {
    const paymentId = ownPayment(request.params.paymentId, response);
    const current = payments.get(paymentId);
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    writeFrame(response, { view: current, sequence: 0, at: new Date().toISOString() });
    if (isTerminalStatus(current.status)) {
      response.end();
      return;
    }
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
    const unsubscribe = payments.subscribe(paymentId, (update) => {
      writeFrame(response, update);
      if (isTerminalStatus(update.view.status)) response.end();
    });
    response.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });

  return router;
}

function writeFrame(response: Response, update: PaymentUpdate): void {
  response.write(`event: payment\nid: ${update.sequence}\ndata: ${JSON.stringify(update.view)}\n\n`);
}

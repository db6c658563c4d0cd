import { randomBytes } from 'node:crypto';
import { isTerminalStatus } from '../../domain/capture/capture-types.js';
import { idWithoutPanLikeRun } from '../../domain/resource-id.js';
import { GatewayError } from '../../errors.js';
import type { PaymentUpdate } from './payment-ports.js';
import type { TokenType } from './processor-connector.js';

/**
 * What an integration (CRM, order system) decides for a payment an agent then takes on a call:
 * amount, currency, token type and where the status goes. The agent picks the order, never its terms
 * (PCI DSS 7.2: least privilege).
 */
export interface OrderTerms {
  readonly chargeAmount: string;
  readonly currency: string;
  readonly description?: string;
  readonly tokenType: TokenType;
  readonly statusCallback?: string;
}

export interface PaymentOrder extends OrderTerms {
  readonly id: string;
  readonly callId: string;
  /** The integration that made it (its key's name). */
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** `open` until a payment taken from it succeeds (`paid`); `expired` after `expiresAt`. */
  readonly state: 'open' | 'paid' | 'expired';
}

/** Orders on a call at most (a CRM bug must not fill the memory). */
const MAX_ORDERS_PER_CALL = 20;
/** An order is forgotten this long after it expired (its call is long over). */
const FORGET_AFTER_MS = 3_600_000;

/**
 * The orders of the calls in progress, in memory (a gateway restart loses them: the integration makes
 * them again; one is forgotten an hour after it expired). A payment taken from an order carries its
 * terms; once one succeeds the order is `paid` and takes no other.
 */
export class OrderBook {
  readonly #clock: { now(): number };
  readonly #byId = new Map<string, PaymentOrder>();
  readonly #orderOfPayment = new Map<string, string>();

  /** `payments`: the service whose payments end (a success marks its order paid). */
  constructor(options: {
    readonly clock: { now(): number };
    readonly payments: { onUpdate(listener: (update: PaymentUpdate) => void): () => void };
  }) {
    this.#clock = options.clock;
    options.payments.onUpdate(({ view }) => {
      if (isTerminalStatus(view.status)) this.#paymentEnded(view.id, view.status === 'succeeded');
    });
  }

  create(callId: string, terms: OrderTerms, options: { createdBy: string; ttlMs: number }): PaymentOrder {
    this.#forgetOld();
    if (this.forCall(callId).length >= MAX_ORDERS_PER_CALL) {
      throw new GatewayError('GW_ERR_ORDER_STATE', `a call takes at most ${MAX_ORDERS_PER_CALL} orders`);
    }
    const now = this.#clock.now();
    const order: PaymentOrder = {
      id: `PO${idWithoutPanLikeRun(() => randomBytes(16).toString('hex'))}`,
      callId,
      ...terms,
      createdBy: options.createdBy,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + options.ttlMs).toISOString(),
      state: 'open',
    };
    this.#byId.set(order.id, order);
    return order;
  }

  forCall(callId: string): PaymentOrder[] {
    return [...this.#byId.values()]
      .filter((order) => order.callId === callId)
      .map((order) => this.#current(order));
  }

  /** The open order `orderId` of `callId` for a payment to take (GW_ERR_NOT_FOUND; GW_ERR_ORDER_STATE when paid or expired). */
  take(orderId: string, callId: string): PaymentOrder {
    const stored = this.#byId.get(orderId);
    if (!stored || stored.callId !== callId)
      throw new GatewayError('GW_ERR_NOT_FOUND', 'no such order on this call');
    const order = this.#current(stored);
    if (order.state !== 'open') throw new GatewayError('GW_ERR_ORDER_STATE', `the order is ${order.state}`);
    return order;
  }

  /** Payment `paymentId` was started from `orderId`. */
  link(paymentId: string, orderId: string): void {
    this.#orderOfPayment.set(paymentId, orderId);
  }

  /** A payment ended: a success marks its order paid. */
  #paymentEnded(paymentId: string, succeeded: boolean): void {
    const orderId = this.#orderOfPayment.get(paymentId);
    this.#orderOfPayment.delete(paymentId);
    const order = orderId === undefined ? undefined : this.#byId.get(orderId);
    if (order && succeeded) this.#byId.set(order.id, { ...order, state: 'paid' });
  }

  #forgetOld(): void {
    const now = this.#clock.now();
    for (const [id, order] of this.#byId) {
      if (Date.parse(order.expiresAt) + FORGET_AFTER_MS <= now) this.#byId.delete(id);
    }
  }

  #current(order: PaymentOrder): PaymentOrder {
    return order.state === 'open' && Date.parse(order.expiresAt) <= this.#clock.now()
      ? { ...order, state: 'expired' }
      : order;
  }
}

import { byId, el, say, show } from './dom.js';
import { money, ORDER_TEXTS, orderText } from './texts.js';

/**
 * The orders on the agent's current call (GET /v1/calls/{callId}/orders, read-only for people): what
 * the integration set — reference, amount, currency — and one button per open order that starts its
 * payment. A paid or expired order shows its state and no button. Refreshed by the desk's poll; the
 * list is rebuilt only when it changes, so a button is never replaced under the agent's pointer.
 */
export class OrderList {
  /**
   * @param {{ api: import('./api.js').Api, announcer: import('./announcer.js').Announcer,
   *   onTake: (order: object) => Promise<void> }} options
   */
  constructor(options) {
    this.api = options.api;
    this.announcer = options.announcer;
    this.onTake = options.onTake;
    this.card = byId('orders');
    this.list = byId('order-list');
    this.error = byId('orders-error');
    this.orders = [];
    this.callId = null;
    this.signature = '';
  }

  get any() {
    return this.orders.length > 0;
  }

  /** Fetches the orders of `callId` (null: no call) and shows them. */
  async update(callId) {
    let orders = [];
    if (callId) {
      try {
        orders = (await this.api.get(`/v1/calls/${encodeURIComponent(callId)}/orders`, { background: true }))
          .orders;
      } catch {
        // the call ended or is not ours any more: no orders to show
      }
    }
    const sameCall = callId === this.callId;
    const known = new Set(this.orders.map((order) => order.id));
    this.callId = callId;
    this.orders = orders;
    const signature = JSON.stringify(orders.map((order) => [order.id, order.state]));
    if (signature === this.signature) return;
    this.signature = signature;
    if (!sameCall) say(this.error, '');
    this.list.replaceChildren(...orders.map((order) => this.#item(order)));
    const arrived = sameCall ? orders.filter((order) => order.state === 'open' && !known.has(order.id)) : [];
    for (const order of arrived)
      this.announcer.soon(orderText(ORDER_TEXTS.arrived, whatOf(order), amountOf(order)));
  }

  /** Shown with the "Take payment" form: on a call, no payment on screen, and orders to show. */
  show(visible) {
    show(this.card, visible && this.any);
  }

  #item(order) {
    const open = order.state === 'open';
    const side = el(
      'span',
      { class: 'order-side' },
      el('span', {
        class: `badge ${order.state === 'paid' ? 'badge-ok' : open ? 'badge-open' : 'badge-warn'}`,
        'data-testid': 'order-state',
        text: ORDER_TEXTS.states[order.state] ?? order.state,
      }),
    );
    if (open) {
      const take = el('button', {
        type: 'button',
        class: 'button button-primary button-small',
        'data-testid': 'take-order',
        'aria-label': orderText(ORDER_TEXTS.takeLabel, whatOf(order), amountOf(order)),
        text: ORDER_TEXTS.take,
      });
      take.addEventListener('click', () => void this.#take(order, take));
      side.append(take);
    }
    return el(
      'li',
      { class: 'order', 'data-state': order.state, 'data-order-id': order.id, 'data-testid': 'order' },
      el('span', { class: 'order-what', 'data-testid': 'order-what', text: whatOf(order) }),
      el('span', { class: 'order-amount', 'data-testid': 'order-amount', text: amountOf(order) }),
      side,
    );
  }

  async #take(order, button) {
    button.disabled = true;
    say(this.error, '');
    try {
      await this.onTake(order);
    } catch (failure) {
      say(this.error, ORDER_TEXTS.refused[failure.code] ?? failure.message);
      this.signature = ''; // show the order's state as it is now at the next poll
    } finally {
      button.disabled = false;
    }
  }
}

const whatOf = (order) => order.description || ORDER_TEXTS.untitled;
const amountOf = (order) => money(order.chargeAmount, order.currency.toUpperCase());

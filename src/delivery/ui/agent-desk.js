import { byId, el, say, show } from './dom.js';
import { OrderList } from './order-list.js';
import { PaymentPanel } from './payment-panel.js';
import { timeOf } from './texts.js';

const POLL_MS = 2000;
const AMOUNT = /^\d{1,9}(\.\d{1,3})?$/;

/** Letters only: the gateway refuses keys holding card-number-like digit runs, and a UUID can. */
function idempotencyKey() {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return `ui-${Array.from(crypto.getRandomValues(new Uint8Array(24)), (byte) => letters[byte % 26]).join('')}`;
}

/**
 * The agent's desk: their current call (polled, own calls only), the orders an integration put on it
 * (polled with it; one click takes the payment), the "Take payment" form, and the payment panel. A
 * payment already running on the call (page reloaded) is picked up again.
 */
export class AgentDesk {
  /**
   * @param {{ api: import('./api.js').Api, announcer: import('./announcer.js').Announcer,
   *   limits?: { maxAmount: string, currencies: string[] } }} options
   */
  constructor(options) {
    this.api = options.api;
    this.announcer = options.announcer;
    // only the currencies the gateway lets agents charge in; the amount field says the limit
    if (options.limits) {
      const currency = byId('currency');
      currency.replaceChildren(
        ...options.limits.currencies.map((code) => {
          const option = document.createElement('option');
          option.value = code.toUpperCase();
          option.textContent = code.toUpperCase();
          return option;
        }),
      );
      byId('amount').setAttribute('title', `Up to ${options.limits.maxAmount}`);
    }
    this.calls = [];
    this.callId = null;
    this.timer = 0;
    this.panel = new PaymentPanel({
      api: this.api,
      announcer: this.announcer,
      onClosed: () => this.#refresh(),
    });
    this.orders = new OrderList({
      api: this.api,
      announcer: this.announcer,
      onTake: (order) => this.#startFromOrder(order),
    });
    this.form = byId('payment-form');
    this.select = byId('call-select');
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#startPayment();
    });
    this.select.addEventListener('change', () => {
      this.callId = this.select.value;
      this.#renderCall();
      void this.orders.update(this.callId).then(() => this.#refresh());
    });
  }

  async start() {
    await this.#poll();
    await this.#resume();
  }

  stop() {
    clearTimeout(this.timer);
    this.panel.close({ quiet: true });
  }

  async #poll() {
    clearTimeout(this.timer);
    try {
      const calls = await this.api.getAll('/v1/calls', 'calls', { background: true });
      this.#setCalls(calls);
      await this.orders.update(this.callId);
      this.#refresh();
    } catch (error) {
      if (error.status === 401) return;
    }
    this.timer = setTimeout(() => void this.#poll(), POLL_MS);
  }

  async #resume() {
    try {
      const payments = await this.api.getAll('/v1/payments?active=true', 'payments', { background: true });
      const running = payments.find((payment) => payment.callId === this.callId);
      if (running && !this.panel.showing) {
        this.panel.open(await this.api.get(`/v1/payments/${encodeURIComponent(running.id)}`), null);
        this.#refresh();
      }
    } catch {
      // Nothing to resume.
    }
  }

  #setCalls(calls) {
    const before = this.callId;
    this.calls = calls;
    if (!calls.some((call) => call.id === this.callId)) this.callId = calls[0]?.id ?? null;
    const ids = calls.map((call) => call.id).join();
    if (ids !== this.select.dataset.ids) {
      this.select.dataset.ids = ids;
      this.select.replaceChildren(
        ...calls.map((call) =>
          el('option', { value: call.id, text: `${call.customer} · ${timeOf(call.answeredAt)}` }),
        ),
      );
    }
    if (this.callId) this.select.value = this.callId;
    if (before !== this.callId) {
      if (this.callId) this.announcer.now('A call is connected. You can take a payment.');
      else if (before) this.announcer.now('The call has ended.');
    }
    this.#renderCall();
  }

  #renderCall() {
    const call = this.calls.find((candidate) => candidate.id === this.callId);
    show(byId('no-call'), !call);
    show(byId('call-live'), Boolean(call));
    show(byId('call-picker'), this.calls.length > 1);
    show(byId('call-details'), Boolean(call));
    if (call) {
      byId('call-customer').textContent = call.customer || 'Unknown caller';
      byId('call-direction').textContent =
        call.direction === 'inbound' ? 'Customer called in' : 'You called out';
      byId('call-answered').textContent = timeOf(call.answeredAt);
      const masking = byId('call-masking');
      masking.textContent = call.masking === 'on' ? 'Masked from you' : 'Masked during payments';
      masking.className = `badge ${call.masking === 'on' ? 'badge-ok' : 'badge-warn'}`;
    }
    this.#refresh();
  }

  #refresh() {
    const call = this.calls.find((candidate) => candidate.id === this.callId);
    show(byId('take-payment'), Boolean(call) && !this.panel.showing);
    this.orders.show(Boolean(call) && !this.panel.showing);
  }

  /** A payment on the order's terms: the agent sends only the order's id (the gateway applies them). */
  async #startFromOrder(order) {
    const callId = this.callId;
    if (!callId || this.panel.showing) return;
    const request = { idempotencyKey: idempotencyKey(), orderId: order.id };
    const view = await this.api.post(`/v1/calls/${encodeURIComponent(callId)}/payments`, request);
    this.panel.open(view, order);
    this.#refresh();
  }

  async #startPayment() {
    const amount = byId('amount');
    const error = byId('payment-form-error');
    const value = amount.value.trim();
    if (!AMOUNT.test(value)) {
      amount.setAttribute('aria-invalid', 'true');
      say(error, 'Enter the amount as a number, for example 49.99.');
      amount.focus();
      return;
    }
    amount.removeAttribute('aria-invalid');
    say(error, '');
    const callId = this.callId;
    if (!callId) return;
    const reference = byId('reference').value.trim();
    const request = {
      idempotencyKey: idempotencyKey(),
      chargeAmount: value,
      currency: byId('currency').value,
      ...(reference ? { description: reference } : {}),
    };
    const submit = this.form.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      const view = await this.api.post(`/v1/calls/${encodeURIComponent(callId)}/payments`, request);
      this.panel.open(view, request);
      this.form.reset();
      this.#refresh();
    } catch (failure) {
      say(
        error,
        failure.code === 'GW_ERR_PAYMENT_ACTIVE'
          ? 'A payment is already running on this call.'
          : failure.message,
      );
    } finally {
      submit.disabled = false;
    }
  }
}

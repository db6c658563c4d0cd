import { byId, el, show } from './dom.js';
import { FIELD_NAMES, OUTCOMES, STATUSES, timeOf } from './texts.js';

const POLL_MS = 2000;

/** Every payment's status for supervisors: who, where it is, how it ended. Never card details. */
export class SupervisorBoard {
  /** @param {{ api: import('./api.js').Api }} options */
  constructor(options) {
    this.api = options.api;
    this.timer = 0;
    this.finished = byId('board-finished');
    this.finished.addEventListener('change', () => void this.#poll());
  }

  async start() {
    await this.#poll();
  }

  stop() {
    clearTimeout(this.timer);
  }

  async #poll() {
    clearTimeout(this.timer);
    try {
      const query = this.finished.checked ? '' : '?active=true';
      const payments = await this.api.getAll(`/v1/payments${query}`, 'payments', { background: true });
      this.#render(payments);
    } catch (error) {
      if (error.status === 401) return;
    }
    this.timer = setTimeout(() => void this.#poll(), POLL_MS);
  }

  #render(payments) {
    const rows = payments.map((payment) => {
      const step = payment.outcome
        ? (OUTCOMES[payment.outcome]?.title ?? payment.outcome)
        : payment.capture
          ? FIELD_NAMES[payment.capture]
          : '—';
      return el(
        'tr',
        { 'data-testid': 'board-row', 'data-payment': payment.id },
        el('td', { text: payment.agent }),
        el(
          'td',
          {},
          el('span', {
            class: 'status-pill',
            'data-status': payment.status,
            text: STATUSES[payment.status] ?? payment.status,
          }),
        ),
        el('td', { text: step }),
        el('td', { text: timeOf(payment.startedAt) }),
        el('td', { class: 'call', text: `${payment.callId.slice(0, 10)}…` }),
      );
    });
    byId('board-rows').replaceChildren(...rows);
    show(byId('board'), rows.length > 0);
    show(byId('board-empty'), rows.length === 0);
  }
}

import { byId, el, say, show } from './dom.js';
import {
  BRANDS,
  dotsOf,
  FIELD_HINTS,
  FIELD_NAMES,
  money,
  OUTCOMES,
  PROBLEMS,
  READ_BACK,
  STATUSES,
} from './texts.js';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * One payment on the agent's call: shows each field's progress from the agent view (dots, brand,
 * ticks and crosses), follows the server-sent events, and lets the agent ask again or cancel.
 * The view never carries card digits beyond the last four of a valid number; neither does the page.
 */
export class PaymentPanel {
  /** @param {{ api: import('./api.js').Api, announcer: import('./announcer.js').Announcer, onClosed: () => void }} options */
  constructor(options) {
    this.api = options.api;
    this.announcer = options.announcer;
    this.onClosed = options.onClosed;
    this.panel = byId('payment-panel');
    this.steps = byId('steps');
    this.status = byId('payment-status');
    this.summary = byId('payment-summary');
    this.problem = byId('payment-problem');
    this.instructions = byId('payment-instructions');
    this.cancelButton = byId('cancel-payment');
    this.outcome = byId('outcome');
    this.view = null;
    this.source = null;
    this.cancelButton.addEventListener('click', () => this.#act({ status: 'cancel' }, this.cancelButton));
    byId('new-payment').addEventListener('click', () => this.close());
  }

  get active() {
    return this.view !== null && !TERMINAL.has(this.view.status);
  }

  get showing() {
    return this.view !== null;
  }

  /** Shows a payment and follows its events until it ends. */
  open(view, request) {
    this.close({ quiet: true });
    this.view = null;
    this.summary.textContent = request?.chargeAmount
      ? `${money(request.chargeAmount, request.currency ?? 'GBP')}${request.description ? ` · ${request.description}` : ''}`
      : (request?.description ?? '');
    show(this.panel, true);
    this.#render(view);
    this.announcer.now(
      `Payment started: you will not hear the customer until it ends. Ask them to key their ${FIELD_NAMES[view.capture ?? 'payment-card-number'].toLowerCase()}.`,
    );
    this.panel.focus?.();
    if (!TERMINAL.has(view.status)) this.#follow(view.id);
  }

  /** Back to taking a new payment. */
  close(options = {}) {
    this.source?.close();
    this.source = null;
    this.view = null;
    show(this.panel, false);
    show(this.outcome, false);
    this.steps.replaceChildren();
    if (!options.quiet) this.onClosed();
  }

  #follow(id) {
    const source = new EventSource(`/v1/payments/${encodeURIComponent(id)}/events`);
    this.source = source;
    source.addEventListener('payment', (event) => {
      const view = JSON.parse(event.data);
      if (this.source !== source) return;
      this.#render(view);
      if (TERMINAL.has(view.status)) {
        source.close();
        this.source = null;
      }
    });
    source.addEventListener('error', () => {
      // EventSource reconnects by itself; the first frame after a reconnect is the current view.
      if (source.readyState === EventSource.CLOSED && this.source === source) {
        this.source = null;
        this.api.get(`/v1/payments/${encodeURIComponent(id)}`).then(
          (view) => this.#render(view),
          () => {},
        );
      }
    });
  }

  async #act(body, button) {
    if (!this.view) return;
    button.disabled = true;
    try {
      this.#render(await this.api.post(`/v1/payments/${encodeURIComponent(this.view.id)}`, body));
    } catch (error) {
      say(this.problem, error.message);
    } finally {
      button.disabled = false;
    }
  }

  #render(view) {
    const before = this.view;
    this.view = view;
    this.panel.dataset.status = view.status;
    this.status.textContent = STATUSES[view.status] ?? view.status;
    this.status.dataset.status = view.status;
    const running = view.status === 'in-progress';
    show(this.cancelButton, running);
    show(this.instructions, running);
    const problem =
      view.readBack === 'awaiting' ? READ_BACK.awaiting : view.errorType && PROBLEMS[view.errorType];
    say(this.problem, running && problem ? problem : '');
    const fields = Object.keys(FIELD_NAMES).filter((field) => view.fields[field] !== undefined);
    this.steps.replaceChildren(...fields.map((field, index) => this.#step(view, field, index)));
    this.#announce(before, view, fields);
    if (TERMINAL.has(view.status) || view.status === 'unknown') this.#showOutcome(view);
  }

  #step(view, field, index) {
    const state = view.fields[field];
    const current = view.capture === field && view.status === 'in-progress';
    // A field asked for again after a failed attempt is "keying" (blue), with the last verdict in its note.
    const retrying = current && state.state !== 'captured' && state.valid === false;
    const verdict =
      state.state === 'captured' ? 'valid' : state.valid === false && !current ? 'invalid' : undefined;
    const mark = verdict === 'valid' ? '✓' : verdict === 'invalid' ? '✕' : String(index + 1);
    const name = FIELD_NAMES[field];
    let note = FIELD_HINTS[field];
    if (verdict === 'valid') note = 'Accepted';
    else if (verdict === 'invalid') note = 'Not valid';
    else if (retrying) note = 'Not valid last time — the customer is keying it again';
    else if (current) note = 'The customer is keying this now';
    else if (state.state === 'pending') note = 'Waiting';
    if (typeof state.attemptsLeft === 'number' && verdict !== 'valid') {
      note += ` · ${state.attemptsLeft} ${state.attemptsLeft === 1 ? 'attempt' : 'attempts'} left`;
    }
    const side = el('span', { class: 'step-side' });
    if (state.brand)
      side.append(
        el('span', {
          class: 'brand-badge',
          text: BRANDS[state.brand] ?? state.brand,
          'data-testid': 'brand',
        }),
      );
    if (current) side.append(el('span', { class: 'pulse', 'aria-hidden': 'true' }));
    if (view.status === 'in-progress' && !current) {
      const again = el('button', {
        type: 'button',
        class: 'button button-quiet button-small',
        'data-testid': `ask-again-${field}`,
        'aria-label': `Ask again for the ${name.toLowerCase()}`,
        text: state.state === 'pending' ? 'Ask now' : 'Ask again',
      });
      again.addEventListener('click', () => this.#act({ capture: field }, again));
      side.append(again);
    }
    const dots =
      state.digits > 0
        ? el('span', {
            class: 'dots',
            'aria-hidden': 'true',
            'data-testid': `dots-${field}`,
            text: dotsOf(field, state.masked),
          })
        : el('span', {
            class: 'dots dots-empty',
            'aria-hidden': 'true',
            'data-testid': `dots-${field}`,
            text: current ? 'Listening for digits…' : '—',
          });
    const digitsText = `${state.digits} ${state.digits === 1 ? 'digit' : 'digits'}`;
    return el(
      'li',
      {
        class: 'step',
        'data-field': field,
        'data-state': state.state,
        'data-verdict': verdict,
        'data-retry': retrying ? 'true' : undefined,
        'data-digits': String(state.digits),
        'data-testid': `step-${field}`,
        'aria-current': current ? 'step' : undefined,
      },
      el('span', { class: 'step-mark', 'aria-hidden': 'true', text: mark }),
      el(
        'span',
        { class: 'step-name' },
        name,
        el('span', { class: 'visually-hidden', text: `, ${digitsText}, ${note}` }),
      ),
      side,
      dots,
      el('span', { class: 'step-note', 'aria-hidden': 'true', text: note }),
    );
  }

  #announce(before, view, fields) {
    if (!before || before.id !== view.id) return;
    if (before.status !== view.status) {
      if (view.status === 'processing') this.announcer.now('All details keyed. Processing the payment.');
      return;
    }
    if (view.errorType && view.errorType !== before.errorType) {
      this.announcer.now(PROBLEMS[view.errorType] ?? 'A field was not accepted.');
      return;
    }
    for (const field of fields) {
      const now = view.fields[field];
      const was = before.fields[field];
      const name = FIELD_NAMES[field];
      if (now.state === 'captured' && was?.state !== 'captured') {
        const brand = now.brand ? `, ${BRANDS[now.brand] ?? now.brand}` : '';
        this.announcer.now(
          `${name} accepted${brand}.${view.capture ? ` Now the ${FIELD_NAMES[view.capture].toLowerCase()}.` : ''}`,
        );
        return;
      }
      if (now.brand && now.brand !== was?.brand) {
        this.announcer.now(`${BRANDS[now.brand] ?? now.brand} card.`);
        return;
      }
      if (now.digits !== was?.digits) {
        this.announcer.soon(`${name}: ${now.digits} ${now.digits === 1 ? 'digit' : 'digits'}.`);
        return;
      }
    }
    if (view.capture !== before.capture && view.capture) {
      this.announcer.now(`Now asking for the ${FIELD_NAMES[view.capture].toLowerCase()}.`);
    }
  }

  #showOutcome(view) {
    const result = view.result ?? { outcome: view.status === 'cancelled' ? 'cancelled' : 'internal-error' };
    const words = OUTCOMES[result.outcome] ?? OUTCOMES['internal-error'];
    // announced (and focused) when it first shows and when an unknown charge is settled
    const wasShowing = !this.outcome.hidden && this.outcome.dataset.result === result.outcome;
    this.outcome.dataset.result = result.outcome;
    this.outcome.dataset.outcome =
      result.outcome === 'success' ? 'success' : result.outcome === 'unknown' ? 'unknown' : 'failure';
    // no "Done" while the charge is in doubt: the agent must not take the payment again
    show(byId('new-payment'), result.outcome !== 'unknown');
    byId('outcome-title').textContent = words.title;
    byId('outcome-text').textContent = words.text;
    const facts = [];
    const fact = (term, value, testid, mono) =>
      el(
        'div',
        {},
        el('dt', { text: term }),
        el('dd', { class: mono ? 'mono' : undefined, 'data-testid': testid, text: value }),
      );
    if (result.outcome === 'success') {
      facts.push(
        fact('Card', `${BRANDS[result.brand] ?? result.brand} •••• ${result.last4}`, 'outcome-card'),
      );
      // no expiry and no token: the gateway gives people neither (the integration gets the token)
      facts.push(fact('Confirmation code', result.confirmationCode, 'outcome-confirmation', true));
    } else if (result.outcome === 'declined') {
      facts.push(fact('Reason', result.reason ?? 'The card was declined.', 'outcome-reason'));
      if (result.declineCode)
        facts.push(fact('Decline code', result.declineCode, 'outcome-decline-code', true));
    }
    byId('outcome-facts').replaceChildren(...facts);
    show(this.outcome, true);
    if (!wasShowing) {
      this.announcer.now(
        `${words.title}. ${result.outcome === 'success' ? `Confirmation code ${result.confirmationCode}.` : words.text}`,
      );
      byId('outcome-title').focus();
    }
  }
}

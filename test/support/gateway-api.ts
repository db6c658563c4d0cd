import { randomUUID } from 'node:crypto';

/** A small client of the gateway's HTTP API for tests: calls and payments, with polling waits. */

export interface CallView {
  id: string;
  sipCallId: string;
  direction: 'inbound' | 'outbound';
  customer: string;
  agent: string;
  answeredAt: string;
  masking: 'on' | 'off';
  phase: 'ivr' | 'agent';
}

export interface FieldView {
  state: string;
  digits: number;
  masked: string;
  brand?: string;
  valid?: boolean;
}

export interface PaymentView {
  id: string;
  callId: string;
  status: string;
  capture: string | null;
  required: string[];
  fields: Record<string, FieldView | undefined>;
  errorType?: string;
  result?: { outcome: string; last4?: string; brand?: string };
  /** The amount read back to the customer (payments created with readBack). */
  readBack?: 'awaiting' | 'confirmed';
}

/** Polls `probe` every 50 ms until it gives a value; rejects naming `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export class GatewayApi {
  readonly baseUrl: string;
  readonly #apiKey: string;

  constructor(baseUrl: string, apiKey: string) {
    this.baseUrl = baseUrl;
    this.#apiKey = apiKey;
  }

  async request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** Every listed call, page after page (200 a page, following `nextCursor`). */
  async calls(): Promise<CallView[]> {
    const calls: CallView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.request<{ calls: CallView[]; nextCursor?: string }>(
        'GET',
        `/v1/calls?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      calls.push(...page.calls);
      cursor = page.nextCursor;
    } while (cursor);
    return calls;
  }

  /** The call with this SIP Call-ID as `GET /v1/calls` lists it now, if it does. */
  async callOf(sipCallId: string): Promise<CallView | undefined> {
    return (await this.calls()).find((call) => call.sipCallId === sipCallId);
  }

  /** Polls `GET /v1/calls` until the call with this SIP Call-ID is listed. */
  waitForCall(sipCallId: string, timeoutMs = 5000): Promise<CallView> {
    return until(`call ${sipCallId} in GET /v1/calls`, timeoutMs, () => this.callOf(sipCallId));
  }

  /** Polls `GET /v1/calls` until a call whose id is not in `known` is listed (a phone's, whose Call-ID the test does not choose). */
  waitForNewCall(known: ReadonlySet<string>, what = 'the call', timeoutMs = 10_000): Promise<CallView> {
    return until(`${what} in GET /v1/calls`, timeoutMs, async () =>
      (await this.calls()).find((call) => !known.has(call.id)),
    );
  }

  /** Polls `GET /v1/calls` until the call with this SIP Call-ID is no longer listed. */
  async waitForCallGone(sipCallId: string, timeoutMs = 5000): Promise<void> {
    await until(`call ${sipCallId} to leave GET /v1/calls`, timeoutMs, async () =>
      (await this.calls()).some((call) => call.sipCallId === sipCallId) ? undefined : true,
    );
  }

  /** Starts a card payment on a call (card number, then expiry; no security code unless asked). */
  startPayment(callId: string, body: Record<string, unknown> = {}): Promise<PaymentView> {
    return this.request<PaymentView>('POST', `/v1/calls/${callId}/payments`, {
      // letters only: the gateway refuses free text holding a card-number-like run of digits
      idempotencyKey: `it-${randomUUID().replace(/[^a-f]/g, '')}`,
      chargeAmount: '10.00',
      currency: 'GBP',
      securityCode: false,
      ...body,
    });
  }

  payment(paymentId: string): Promise<PaymentView> {
    return this.request<PaymentView>('GET', `/v1/payments/${paymentId}`);
  }

  /** Polls the payment until `done(view)` holds; returns that view. */
  waitForPayment(
    paymentId: string,
    done: (view: PaymentView) => boolean,
    timeoutMs = 5000,
  ): Promise<PaymentView> {
    return until(`payment ${paymentId} to reach the expected state`, timeoutMs, async () => {
      const view = await this.payment(paymentId);
      return done(view) ? view : undefined;
    });
  }
}

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** One request as the fake saw it. Holds card fields: tests read it, never log it. */
export interface StripeRequest {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string | undefined;
  readonly authorization: string | undefined;
  readonly params: URLSearchParams;
}

export type StripeReply = { status: number; body: unknown; raw?: string } | 'hang';

/** A fault to inject: answer the next `times` requests to `path` with `reply` instead of the normal one. */
export interface Fault {
  readonly path: string;
  times: number;
  readonly reply: StripeReply;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

function stripeError(status: number, error: Record<string, unknown>): StripeReply {
  return {
    status,
    body: {
      error: {
        doc_url: `https://stripe.com/docs/error-codes/${String(error.code ?? '')}`,
        request_log_url: 'https://dashboard.stripe.com/test/logs/req_x',
        ...error,
      },
    },
  };
}

/** The decline behaviour of Stripe's test cards, keyed by their last four (the fake sees whole numbers). */
const DECLINES: Record<string, Record<string, unknown>> = {
  '0002': { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' },
  '9995': {
    code: 'card_declined',
    decline_code: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
};

/**
 * A local HTTPS server that answers as Stripe's API does for the calls the connector makes:
 * POST /v1/payment_methods, /v1/payment_intents, /v1/setup_intents (form-encoded), with Stripe's
 * object and error JSON shapes, idempotent replays by Idempotency-Key, and injectable faults.
 */
export async function startFakeStripe(tls: { cert: string; key: string }) {
  const requests: StripeRequest[] = [];
  const faults: Fault[] = [];
  const replays = new Map<string, StripeReply>();
  const cards = new Map<string, { last4: string; brand: string }>();
  const held = new Set<ServerResponse>();
  /** Every PaymentIntent made, as the API would show it now (the search reads these). */
  const intents = new Map<string, Record<string, unknown>>();
  let nextIntentStatus: string | undefined;

  const metadataOf = (p: URLSearchParams) =>
    Object.fromEntries(
      [...p].flatMap(([name, value]) => {
        const field = /^metadata\[(\w+)\]$/.exec(name)?.[1];
        return field === undefined ? [] : [[field, value]];
      }),
    );

  /** GET /v1/payment_intents/search: only the query the connector makes, metadata['paymentId']:'…'. */
  const search = (p: URLSearchParams): StripeReply => {
    const wanted = /^metadata\['paymentId'\]:'((?:[^'\\]|\\.)*)'$/.exec(p.get('query') ?? '')?.[1];
    if (wanted === undefined) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'parameter_invalid_string',
        param: 'query',
      });
    }
    const paymentId = wanted.replace(/\\(.)/g, '$1');
    const expand = [...p.values()].includes('data.payment_method');
    const data = [...intents.values()]
      .filter((intent) => (intent.metadata as Record<string, string>).paymentId === paymentId)
      .map((intent) => {
        const method = String(intent.payment_method);
        return expand
          ? { ...intent, payment_method: { id: method, object: 'payment_method', card: cards.get(method) } }
          : intent;
      });
    return {
      status: 200,
      body: {
        object: 'search_result',
        data,
        has_more: false,
        next_page: null,
        url: '/v1/payment_intents/search',
      },
    };
  };

  const normal = (req: StripeRequest): StripeReply => {
    if (!req.authorization?.startsWith('Bearer sk_test_')) {
      return stripeError(401, {
        type: 'invalid_request_error',
        message: 'Invalid API Key provided: sk_test_****',
      });
    }
    const p = req.params;
    if (req.path === '/v1/payment_intents/search' && req.method === 'GET') return search(p);
    if (req.path === '/v1/payment_methods') {
      const number = p.get('card[number]') ?? '';
      const last4 = number.slice(-4);
      const brand = number.startsWith('4') ? 'visa' : number.startsWith('5') ? 'mastercard' : 'unknown';
      const pm = id('pm');
      cards.set(pm, { last4, brand });
      return {
        status: 200,
        body: {
          id: pm,
          object: 'payment_method',
          type: 'card',
          allow_redisplay: 'unspecified',
          billing_details: {
            address: { postal_code: p.get('billing_details[address][postal_code]') },
            email: null,
            name: null,
            phone: null,
          },
          card: {
            brand,
            checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: null },
            country: 'US',
            display_brand: brand,
            exp_month: Number(p.get('card[exp_month]')),
            exp_year: Number(p.get('card[exp_year]')),
            funding: 'credit',
            last4,
            networks: { available: [brand], preferred: null },
            wallet: null,
          },
          created: Math.floor(Date.now() / 1000),
          customer: null,
          livemode: false,
          metadata: {},
        },
      };
    }
    const card = cards.get(p.get('payment_method') ?? '');
    if (!card) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'payment_method',
        message: 'No such PaymentMethod',
      });
    }
    if (req.path === '/v1/payment_intents') {
      const decline = DECLINES[card.last4];
      const pi = id('pi');
      const base = {
        id: pi,
        object: 'payment_intent',
        metadata: metadataOf(p),
        payment_method: p.get('payment_method'),
      };
      if (decline) {
        intents.set(pi, {
          ...base,
          status: 'requires_payment_method',
          latest_charge: null,
          last_payment_error: { type: 'card_error', code: decline.code, decline_code: decline.decline_code },
        });
        return stripeError(402, {
          type: 'card_error',
          ...decline,
          charge: id('ch'),
          payment_intent: { id: pi, object: 'payment_intent', status: 'requires_payment_method' },
        });
      }
      const status = nextIntentStatus ?? 'succeeded';
      nextIntentStatus = undefined;
      const intent = {
        ...base,
        status,
        latest_charge: status === 'processing' ? null : id('ch'),
        last_payment_error: null,
      };
      intents.set(pi, intent);
      return {
        status: 200,
        body: {
          ...intent,
          amount: Number(p.get('amount')),
          amount_received: Number(p.get('amount')),
          capture_method: 'automatic',
          client_secret: `${pi}_secret_x`,
          confirmation_method: 'automatic',
          currency: p.get('currency'),
          livemode: false,
          payment_method_options: { card: { moto: p.get('payment_method_options[card][moto]') === 'true' } },
          payment_method_types: ['card'],
          setup_future_usage: p.get('setup_future_usage'),
        },
      };
    }
    if (req.path === '/v1/setup_intents') {
      return {
        status: 200,
        body: {
          id: id('seti'),
          object: 'setup_intent',
          payment_method: p.get('payment_method'),
          status: 'succeeded',
          usage: p.get('usage'),
          livemode: false,
        },
      };
    }
    return stripeError(404, { type: 'invalid_request_error', message: 'Unrecognized request URL' });
  };

  const respond = (res: ServerResponse, reply: StripeReply, replayed: boolean) => {
    if (reply === 'hang') {
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      'request-id': id('req'),
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
    res.end(reply.raw ?? JSON.stringify(reply.body));
  };

  const server = createServer(
    { cert: tls.cert, key: tls.key },
    (incoming: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const url = new URL(incoming.url ?? '/', 'https://fake');
        const req: StripeRequest = {
          method: incoming.method ?? '',
          path: url.pathname,
          idempotencyKey: incoming.headers['idempotency-key'] as string | undefined,
          authorization: incoming.headers.authorization,
          params: new URLSearchParams(
            incoming.method === 'GET' ? url.search : Buffer.concat(chunks).toString('utf8'),
          ),
        };
        requests.push(req);
        const fault = faults.find((f) => f.path === req.path && f.times > 0);
        if (fault) {
          fault.times -= 1;
          return respond(res, fault.reply, false); // a fault is never saved for replay
        }
        const saved = req.idempotencyKey === undefined ? undefined : replays.get(req.idempotencyKey);
        if (saved) return respond(res, saved, true);
        const reply = normal(req);
        if (req.idempotencyKey !== undefined) replays.set(req.idempotencyKey, reply);
        respond(res, reply, false);
      });
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    inject: (fault: Fault) => faults.push(fault),
    /** The next PaymentIntent is created in this status (e.g. `processing`). */
    nextIntentIn: (status: string) => {
      nextIntentStatus = status;
    },
    /** Moves a PaymentIntent on, as Stripe does in its own time (`processing` → `succeeded`). */
    settleIntent: (intentId: string, status: string) => {
      const intent = intents.get(intentId);
      if (intent) intents.set(intentId, { ...intent, status, latest_charge: id('ch') });
    },
    intentsOf: (paymentId: string) =>
      [...intents.values()].filter(
        (intent) => (intent.metadata as Record<string, string>).paymentId === paymentId,
      ),
    clearFaults: () => faults.splice(0),
    error: stripeError,
    close: async () => {
      for (const res of held) res.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

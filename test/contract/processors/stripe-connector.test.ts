import { Agent } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  StripeConnector,
  type StripeConnectorOptions,
} from '../../../src/adapters/processors/stripe-connector.js';
import { systemClock, systemTimers } from '../../../src/application/clock.js';
import type { TokeniseRequest } from '../../../src/application/payments/processor-connector.js';
import { captureLogs } from '../../support/log-capture.js';
import { startFakeStripe } from './fake-stripe.js';
import { cardNumbersIn, type DevKeySet, makeDevKeys, tokeniseFailure, tokeniseRequest } from './support.js';

const CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficient: '4000000000009995',
} as const;

const logs = captureLogs();
const replies: string[] = [];
let keys: DevKeySet;
let fake: Awaited<ReturnType<typeof startFakeStripe>>;
let agent: Agent;

beforeAll(async () => {
  keys = makeDevKeys(1);
  fake = await startFakeStripe({ cert: keys.serverCert, key: keys.serverKey });
  agent = new Agent({ ca: keys.ca, keepAlive: false });
});

afterEach(() => fake.clearFaults());

afterAll(async () => {
  agent.destroy();
  await fake.close();
  keys.remove();
});

function connector(overrides: Partial<StripeConnectorOptions> = {}): StripeConnector {
  return new StripeConnector({
    secretKey: 'sk_test_tonewallContractTest',
    api: { host: '127.0.0.1', port: fake.port, protocol: 'https', agent },
    attemptTimeoutMs: 400,
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, deadlineMs: 5_000 },
    logger: logs.logger,
    clock: systemClock,
    timers: systemTimers,
    ...overrides,
  });
}

const request = tokeniseRequest;

const requestsFor = (key: string) => fake.requests.filter((r) => r.idempotencyKey?.startsWith(`${key}:`));

const failure = (client: StripeConnector, req: TokeniseRequest) => tokeniseFailure(client, req, replies);

describe('Stripe connector against a local Stripe-shaped HTTPS server (port 0)', () => {
  it('charges with a MOTO PaymentIntent: PaymentMethod from the card, then confirm', async () => {
    const req = request(CARDS.success);
    const result = await connector().tokenise(req);
    replies.push(JSON.stringify(result));
    expect(result).toMatchObject({
      outcome: 'success',
      token: expect.stringMatching(/^pm_/),
      last4: '4242',
      brand: 'visa',
      chargeId: expect.stringMatching(/^pi_/),
      confirmationCode: expect.stringMatching(/^ch_/),
    });
    const [pm, pi, ...rest] = requestsFor(req.idempotencyKey);
    expect(rest).toEqual([]);
    expect(pm?.path).toBe('/v1/payment_methods');
    expect(pm?.idempotencyKey).toBe(`${req.idempotencyKey}:pm`);
    expect(pm?.authorization).toBe('Bearer sk_test_tonewallContractTest');
    expect(Object.fromEntries(pm?.params ?? [])).toMatchObject({
      type: 'card',
      'card[number]': CARDS.success,
      'card[exp_month]': '12',
      'card[cvc]': '123',
      'billing_details[address][postal_code]': '94103',
    });
    expect(pi?.path).toBe('/v1/payment_intents');
    expect(pi?.idempotencyKey).toBe(`${req.idempotencyKey}:pi`);
    expect(Object.fromEntries(pi?.params ?? [])).toMatchObject({
      amount: '1000',
      currency: 'usd',
      confirm: 'true',
      payment_method: result.outcome === 'success' ? result.token : '',
      'payment_method_options[card][moto]': 'true',
    });
  });

  it.each([
    ['1000', 'JPY', '1000', 'jpy'],
    ['12.345', 'kwd', '12345', 'kwd'],
    ['0.5', 'eur', '50', 'eur'],
  ])('sends %s %s as %s minor units', async (amount, currency, minor, lower) => {
    const req = request(CARDS.success, { chargeAmount: amount, currency });
    await connector().tokenise(req);
    const pi = requestsFor(req.idempotencyKey).find((r) => r.path === '/v1/payment_intents');
    expect(pi?.params.get('amount')).toBe(minor);
    expect(pi?.params.get('currency')).toBe(lower);
  });

  it('tokenises only (one-time): the PaymentMethod id, no intent', async () => {
    const req = request(CARDS.success, { chargeAmount: undefined });
    const result = await connector().tokenise(req);
    expect(result).toEqual({
      outcome: 'success',
      token: expect.stringMatching(/^pm_/),
      last4: '4242',
      brand: 'visa',
    });
    expect(requestsFor(req.idempotencyKey).map((r) => r.path)).toEqual(['/v1/payment_methods']);
  });

  it('tokenises a reusable card with a MOTO SetupIntent for off-session use', async () => {
    const req = request(CARDS.success, { chargeAmount: '0', tokenType: 'reusable' });
    const result = await connector().tokenise(req);
    expect(result).toMatchObject({
      outcome: 'success',
      token: expect.stringMatching(/^pm_/),
      confirmationCode: expect.stringMatching(/^seti_/),
    });
    const si = requestsFor(req.idempotencyKey).find((r) => r.path === '/v1/setup_intents');
    expect(si?.idempotencyKey).toBe(`${req.idempotencyKey}:si`);
    expect(Object.fromEntries(si?.params ?? [])).toMatchObject({
      confirm: 'true',
      usage: 'off_session',
      'payment_method_options[card][moto]': 'true',
    });
  });

  it.each([
    [CARDS.declined, 'generic_decline'],
    [CARDS.insufficient, 'insufficient_funds'],
  ])('returns a card_error (402) for %s as a declined result: %s', async (number, declineCode) => {
    const req = request(number);
    const result = await connector().tokenise(req);
    replies.push(JSON.stringify(result));
    expect(result).toMatchObject({ outcome: 'declined', declineCode });
    expect(requestsFor(req.idempotencyKey)).toHaveLength(2); // no retry of a decline
  });

  it('retries a 500 with the same idempotency keys and then succeeds', async () => {
    fake.inject({
      path: '/v1/payment_intents',
      times: 1,
      reply: fake.error(500, { type: 'api_error', message: 'Something went wrong' }),
    });
    const req = request(CARDS.success);
    expect(await connector().tokenise(req)).toMatchObject({ outcome: 'success' });
    const sent = requestsFor(req.idempotencyKey);
    expect(sent.map((r) => r.idempotencyKey)).toEqual([
      `${req.idempotencyKey}:pm`,
      `${req.idempotencyKey}:pi`,
      `${req.idempotencyKey}:pm`, // replayed by Stripe, not a second PaymentMethod
      `${req.idempotencyKey}:pi`,
    ]);
  });

  it.each([
    [500, { type: 'api_error', message: 'Something went wrong' }, 'GW_ERR_PROCESSOR_UNAVAILABLE', true, 3],
    [
      429,
      { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' },
      'GW_ERR_PROCESSOR_RATE_LIMITED',
      true,
      3,
    ],
    [
      402,
      { type: 'invalid_request_error', message: 'Request failed' },
      'GW_ERR_PROCESSOR_REJECTED',
      false,
      1,
    ],
    [
      400,
      { type: 'invalid_request_error', code: 'parameter_invalid_integer', param: 'amount' },
      'GW_ERR_PROCESSOR_REJECTED',
      false,
      1,
    ],
  ])('maps a persistent HTTP %i to a typed error', async (status, error, code, retryable, attempts) => {
    fake.inject({ path: '/v1/payment_intents', times: 10, reply: fake.error(status, error) });
    const req = request(CARDS.success);
    const caught = await failure(connector(), req);
    expect(caught).toMatchObject({ code, retryable });
    const intents = requestsFor(req.idempotencyKey).filter((r) => r.path === '/v1/payment_intents');
    expect(intents).toHaveLength(attempts);
    expect(new Set(intents.map((r) => r.idempotencyKey))).toEqual(new Set([`${req.idempotencyKey}:pi`]));
  });

  it('refuses a bad API key (401) without retrying', async () => {
    const client = connector({ secretKey: 'sk_live_notAcceptedHere' });
    const req = request(CARDS.success);
    expect(await failure(client, req)).toMatchObject({ code: 'GW_ERR_PROCESSOR_REJECTED', retryable: false });
    expect(requestsFor(req.idempotencyKey)).toHaveLength(1);
  });

  it('times out a PaymentMethod that never comes, retrying with the same key', async () => {
    fake.inject({ path: '/v1/payment_methods', times: 3, reply: 'hang' });
    const req = request(CARDS.success);
    const started = performance.now();
    const caught = await failure(connector({ attemptTimeoutMs: 200 }), req);
    expect(caught).toMatchObject({ code: 'GW_ERR_PROCESSOR_TIMEOUT', retryable: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 200);
    expect(requestsFor(req.idempotencyKey).map((r) => r.idempotencyKey)).toEqual(
      Array(3).fill(`${req.idempotencyKey}:pm`),
    );
  });

  it('maps an unreadable reply to GW_ERR_PROCESSOR_PROTOCOL', async () => {
    fake.inject({
      path: '/v1/payment_methods',
      times: 1,
      reply: { status: 200, body: null, raw: '{"id": "pm_1", "card": ' },
    });
    expect(await failure(connector(), request(CARDS.success))).toMatchObject({
      code: 'GW_ERR_PROCESSOR_PROTOCOL',
    });
    fake.inject({
      path: '/v1/payment_methods',
      times: 1,
      reply: { status: 200, body: { id: 'pm_1', object: 'payment_method' } },
    });
    expect(await failure(connector(), request(CARDS.success))).toMatchObject({
      code: 'GW_ERR_PROCESSOR_PROTOCOL',
    });
  });

  it('refuses an amount its currency cannot have before calling Stripe', async () => {
    const req = request(CARDS.success, { chargeAmount: '10.50', currency: 'jpy' });
    expect(await failure(connector(), req)).toMatchObject({ code: 'GW_ERR_INVALID_AMOUNT' });
    expect(requestsFor(req.idempotencyKey)).toEqual([]);
  });

  it('refuses a secret key that is not one', () => {
    expect(() => connector({ secretKey: 'pk_test_x' })).toThrowError(
      expect.objectContaining({ code: 'GW_ERR_CONFIG' }),
    );
  });

  it('says nothing was sent when Stripe cannot be connected to (refused), and a timeout is never that', async () => {
    const closed = await startFakeStripe({ cert: keys.serverCert, key: keys.serverKey });
    const port = closed.port;
    await closed.close();
    const client = connector({ api: { host: '127.0.0.1', port, protocol: 'https', agent } });
    expect(await failure(client, request(CARDS.success))).toMatchObject({
      code: 'GW_ERR_PROCESSOR_UNAVAILABLE',
      notSent: true,
    });
    fake.inject({ path: '/v1/payment_intents', times: 3, reply: 'hang' });
    expect(await failure(connector({ attemptTimeoutMs: 150 }), request(CARDS.success))).toMatchObject({
      code: 'GW_ERR_PROCESSOR_TIMEOUT',
      notSent: false,
    });
  });

  it('wrote no card number into any log line, error or reply', () => {
    expect(logs.lines.length).toBeGreaterThan(10);
    expect(cardNumbersIn([...logs.lines, ...replies], Object.values(CARDS))).toEqual([]);
    expect(logs.text()).not.toMatch(/securityCode|postalCode|card\[number\]|"cvc"/);
  });
});

describe('Stripe lookup: the PaymentIntents of a payment, by search (docs/processor-protocol.md 7.3)', () => {
  const lookup = async (req: TokeniseRequest) => {
    const found = await connector().lookup({ paymentId: req.paymentId, idempotencyKey: req.idempotencyKey });
    replies.push(JSON.stringify(found));
    return found;
  };

  it('finds a charge as tokenise returned it; the intent carries the payment id and the key', async () => {
    const req = request(CARDS.success);
    const result = await connector().tokenise(req);
    expect(await lookup(req)).toEqual({ found: 'result', result });
    expect(fake.intentsOf(req.paymentId)).toMatchObject([
      { metadata: { paymentId: req.paymentId, idempotencyKey: req.idempotencyKey } },
    ]);
    const searched = fake.requests.filter((r) => r.path === '/v1/payment_intents/search').at(-1);
    expect(searched?.params.get('query')).toBe(`metadata['paymentId']:'${req.paymentId}'`);
  });

  it('finds a decline with its decline code', async () => {
    const req = request(CARDS.insufficient);
    expect(await connector().tokenise(req)).toMatchObject({ outcome: 'declined' });
    expect(await lookup(req)).toEqual({
      found: 'result',
      result: {
        outcome: 'declined',
        declineCode: 'insufficient_funds',
        reason: 'The card has insufficient funds.',
      },
    });
  });

  it('an intent left processing: tokenise fails without notSent and without retrying; lookup says pending, then the charge', async () => {
    fake.nextIntentIn('processing');
    const req = request(CARDS.success);
    const error = await failure(connector(), req);
    expect(error).toMatchObject({ code: 'GW_ERR_PROCESSOR_TIMEOUT', retryable: false, notSent: false });
    expect(requestsFor(req.idempotencyKey).map((r) => r.path)).toEqual([
      '/v1/payment_methods',
      '/v1/payment_intents',
    ]);
    expect(await lookup(req)).toEqual({ found: 'pending' });
    const [intent] = fake.intentsOf(req.paymentId);
    fake.settleIntent(String(intent?.id), 'succeeded');
    expect(await lookup(req)).toMatchObject({
      found: 'result',
      result: {
        outcome: 'success',
        last4: '4242',
        chargeId: intent?.id,
        confirmationCode: expect.stringMatching(/^ch_/),
      },
    });
  });

  it.each([
    ['no intent at all', undefined],
    ['a canceled intent', 'canceled'],
  ])('finds nothing: %s', async (_name, status) => {
    const req = request(CARDS.success);
    if (status !== undefined) {
      await connector().tokenise(req);
      fake.settleIntent(String(fake.intentsOf(req.paymentId)[0]?.id), status);
    }
    expect(await lookup(req)).toEqual({ found: 'nothing' });
  });

  it('finds nothing for a tokenise-only request (it makes no intent) or under another key of the payment', async () => {
    const tokenOnly = request(CARDS.success, { chargeAmount: undefined });
    await connector().tokenise(tokenOnly);
    expect(await lookup(tokenOnly)).toEqual({ found: 'nothing' });
    const charged = request(CARDS.success);
    await connector().tokenise(charged);
    expect(await lookup({ ...charged, idempotencyKey: `${charged.idempotencyKey}-other` })).toEqual({
      found: 'nothing',
    });
  });

  it('escapes the payment id in the query, and a failing search is an error, not an answer', async () => {
    const req = request(CARDS.success, { paymentId: "pay_it's" });
    const result = await connector().tokenise(req);
    expect(await lookup(req)).toEqual({ found: 'result', result });
    fake.inject({
      path: '/v1/payment_intents/search',
      times: 1,
      reply: fake.error(500, { type: 'api_error' }),
    });
    await expect(lookup(req)).rejects.toMatchObject({
      code: 'GW_ERR_PROCESSOR_UNAVAILABLE',
      retryable: true,
    });
    fake.inject({
      path: '/v1/payment_intents/search',
      times: 1,
      reply: { status: 200, body: { data: [{ id: 1 }] } },
    });
    await expect(lookup(req)).rejects.toMatchObject({ code: 'GW_ERR_PROCESSOR_PROTOCOL' });
  });
});

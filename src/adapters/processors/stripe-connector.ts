import type { Agent } from 'node:https';
import Stripe from 'stripe';
import { z } from 'zod';
import {
  isCharge,
  type LookupRequest,
  type LookupResult,
  type ProcessorConnector,
  type ProcessorResult,
  type TokeniseRequest,
} from '../../application/payments/processor-connector.js';
import { toMinorUnits } from '../../domain/payments/money.js';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { classifyFailure, declined, type ProcessorFailure } from './map-processor-reply.js';
import { intentSearchQuery, lookupFromIntents, searchedIntentSchema } from './stripe-lookup.js';
import { type ConnectorRetryOptions, tokeniseWithRetries } from './tokenise-with-retries.js';

export interface StripeConnectorOptions extends ConnectorRetryOptions {
  /** sk_live_… / sk_test_… (a restricted key with PaymentMethod, PaymentIntent and SetupIntent write). */
  readonly secretKey: string;
  /** Where the API is; Stripe's own by default. Tests point it at a local server. */
  readonly api?: {
    readonly host?: string;
    readonly port?: number;
    readonly protocol?: 'https' | 'http';
    /** e.g. an https.Agent trusting a test CA. */
    readonly agent?: Agent;
  };
  readonly logger: Logger;
}

const paymentMethodSchema = z.object({
  id: z.string().min(1),
  card: z.object({ last4: z.string().regex(/^\d{4}$/), brand: z.string().min(1).max(32).optional() }),
});
const paymentIntentSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  latest_charge: z.union([z.string(), z.object({ id: z.string() }), z.null()]).optional(),
});
const setupIntentSchema = z.object({ id: z.string().min(1), status: z.string() });

/**
 * Stripe through its official SDK, for phone (MOTO) payments:
 * 1. a PaymentMethod from the card (number, expiry, CVC, billing postal code);
 * 2. when chargeAmount > 0: a PaymentIntent, confirmed at once, flagged `moto`; the token is the
 *    PaymentMethod id and the confirmation code the charge id;
 *    with no amount and tokenType "reusable": a SetupIntent (usage off_session, moto) so the
 *    PaymentMethod may be charged later; "one-time": the PaymentMethod id alone.
 * Each step has its own idempotency key derived from the request's (`<key>:pm`, `:pi`, `:si`); the
 * same keys go out on every retry. The SDK's own retries are off: one policy (retry-policy.ts) rules.
 * An intent left `processing` is GW_ERR_PROCESSOR_TIMEOUT, not retried and not notSent: its outcome
 * is unknown until `lookup` (a search of the payment's intents, stripe-lookup.ts) finds it settled.
 */
export class StripeConnector implements ProcessorConnector {
  readonly name = 'stripe';
  readonly #stripe: Stripe;
  readonly #options: StripeConnectorOptions;
  readonly #logger: Logger;

  constructor(options: StripeConnectorOptions) {
    if (!/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/.test(options.secretKey)) {
      throw new GatewayError('GW_ERR_CONFIG', 'Stripe "secretKey" is not a Stripe secret or restricted key');
    }
    this.#options = options;
    this.#logger = options.logger.child({ processor: this.name });
    const api = options.api ?? {};
    this.#stripe = new Stripe(options.secretKey, {
      maxNetworkRetries: 0,
      timeout: options.attemptTimeoutMs,
      telemetry: false,
      ...(api.host === undefined ? {} : { host: api.host }),
      ...(api.port === undefined ? {} : { port: api.port }),
      ...(api.protocol === undefined ? {} : { protocol: api.protocol }),
      ...(api.agent === undefined ? {} : { httpAgent: api.agent }),
    });
  }

  async tokenise(request: TokeniseRequest): Promise<ProcessorResult> {
    const currency = (request.currency ?? 'usd').toLowerCase();
    const amount = isCharge(request) ? toMinorUnits(request.chargeAmount ?? '', currency) : 0;
    return tokeniseWithRetries(
      async (timeoutMs) => {
        try {
          return await this.#attempt(request, amount, currency, timeoutMs);
        } catch (error) {
          if (error instanceof GatewayError) throw error;
          const outcome = classifyFailure(failureOf(error), this.name);
          if (outcome instanceof GatewayError) throw outcome;
          return outcome;
        }
      },
      { ...this.#options, logger: this.#logger.child({ paymentId: request.paymentId }) },
    );
  }

  /** One search, eventually consistent on Stripe's side (docs/processor-protocol.md section 7.3). */
  async lookup(request: LookupRequest): Promise<LookupResult> {
    const logger = this.#logger.child({ paymentId: request.paymentId });
    let intents: unknown;
    try {
      const page = await this.#stripe.paymentIntents.search(
        { query: intentSearchQuery(request.paymentId), expand: ['data.payment_method'], limit: 20 },
        { timeout: this.#options.attemptTimeoutMs },
      );
      intents = page.data;
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      const outcome = classifyFailure(failureOf(error), this.name);
      if (outcome instanceof GatewayError) throw outcome;
      return { found: 'result', result: outcome };
    }
    const { found, succeeded } = lookupFromIntents(
      parse(z.array(searchedIntentSchema), intents, 'PaymentIntent search'),
      request.idempotencyKey,
    );
    if (succeeded > 1) logger.error({ succeeded }, 'more than one PaymentIntent of one request succeeded');
    if (found === undefined)
      throw classifyFailure({ kind: 'malformed', what: 'PaymentIntent search' }, this.name);
    logger.info(
      { found: found.found, ...(found.found === 'result' ? { outcome: found.result.outcome } : {}) },
      'processor lookup',
    );
    return found;
  }

  async close(): Promise<void> {
    // The SDK keeps no resources of its own; a caller-supplied agent is the caller's to close.
  }

  async #attempt(
    request: TokeniseRequest,
    amount: number,
    currency: string,
    timeout: number,
  ): Promise<ProcessorResult> {
    const { card, idempotencyKey } = request;
    const paymentMethod = parse(
      paymentMethodSchema,
      await this.#stripe.paymentMethods.create(
        {
          type: 'card',
          card: {
            number: card.number,
            exp_month: card.expMonth,
            exp_year: card.expYear,
            ...(card.securityCode === undefined ? {} : { cvc: card.securityCode }),
          },
          ...(card.postalCode === undefined
            ? {}
            : { billing_details: { address: { postal_code: card.postalCode } } }),
          metadata: { paymentId: request.paymentId },
        },
        { idempotencyKey: `${idempotencyKey}:pm`, timeout },
      ),
      'PaymentMethod',
    );
    const tokenised = {
      outcome: 'success' as const,
      token: paymentMethod.id,
      last4: paymentMethod.card.last4,
      ...(paymentMethod.card.brand === undefined ? {} : { brand: paymentMethod.card.brand }),
    };

    if (amount > 0) {
      const intent = parse(
        paymentIntentSchema,
        await this.#stripe.paymentIntents.create(
          {
            amount,
            currency,
            payment_method: paymentMethod.id,
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            confirm: true,
            payment_method_options: { card: { moto: true } },
            ...(request.tokenType === 'reusable' ? { setup_future_usage: 'off_session' as const } : {}),
            ...(request.description === undefined ? {} : { description: request.description }),
            metadata: { paymentId: request.paymentId, idempotencyKey },
          },
          { idempotencyKey: `${idempotencyKey}:pi`, timeout },
        ),
        'PaymentIntent',
      );
      if (intent.status !== 'succeeded' && intent.status !== 'requires_capture') {
        return intentNotCompleted(intent.status, this.name);
      }
      const charge = intent.latest_charge;
      const chargeRef = typeof charge === 'string' ? charge : charge?.id;
      return { ...tokenised, chargeId: intent.id, confirmationCode: chargeRef ?? intent.id };
    }

    if (request.tokenType === 'reusable') {
      const setup = parse(
        setupIntentSchema,
        await this.#stripe.setupIntents.create(
          {
            payment_method: paymentMethod.id,
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            confirm: true,
            usage: 'off_session',
            payment_method_options: { card: { moto: true } },
            metadata: { paymentId: request.paymentId },
          },
          { idempotencyKey: `${idempotencyKey}:si`, timeout },
        ),
        'SetupIntent',
      );
      if (setup.status !== 'succeeded') return intentNotCompleted(setup.status, this.name);
      return { ...tokenised, confirmationCode: setup.id };
    }
    return tokenised;
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw classifyFailure({ kind: 'malformed', what }, 'stripe');
  return parsed.data;
}

/**
 * A confirmed intent that still wants something a phone call cannot give (3-D Secure) is a decline;
 * one still `processing` may yet take the money: an error without notSent, for a lookup to settle.
 */
function intentNotCompleted(status: string, processor: string): ProcessorResult {
  if (status === 'requires_action' || status === 'requires_payment_method') {
    return declined('authentication_required');
  }
  if (status === 'processing') {
    throw new GatewayError(
      'GW_ERR_PROCESSOR_TIMEOUT',
      `processor "${processor}" has not finished the charge (PaymentIntent processing); look it up later`,
    );
  }
  throw new GatewayError(
    'GW_ERR_PROCESSOR_PROTOCOL',
    `processor "${processor}" left the intent in an unexpected status`,
  );
}

/** What a Stripe SDK error says, in the terms of classifyFailure. */
function failureOf(error: unknown): ProcessorFailure {
  if (error instanceof Stripe.errors.StripeConnectionError) {
    const code = (error.detail as { code?: unknown } | undefined)?.code;
    if (code === 'ETIMEDOUT') return { kind: 'timeout' };
    return { kind: 'network', cause: error, ...(typeof code === 'string' ? { code } : {}) };
  }
  if (error instanceof Stripe.errors.StripeError) {
    if (error.statusCode === undefined) return { kind: 'malformed', what: 'reply' };
    return {
      kind: 'status',
      status: error.statusCode,
      ...(error.rawType === undefined ? {} : { vendorType: error.rawType }),
      ...(error.code === undefined ? {} : { vendorCode: error.code }),
      ...(error.decline_code ? { declineCode: error.decline_code } : {}),
    };
  }
  return { kind: 'malformed', what: 'reply' };
}

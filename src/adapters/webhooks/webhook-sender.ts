import type { Clock, Timers } from '../../application/clock.js';
import type { PaymentUpdate } from '../../application/payments/payment-ports.js';
import type { RetryPolicy } from '../../config/processor-settings.js';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { withRetries } from '../processors/retry-policy.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';

export interface WebhookSenderOptions {
  secret: string;
  logger: Logger;
  /** The signature's timestamp, the retries' deadline and backoff. */
  clock: Clock;
  timers: Timers;
  policy?: RetryPolicy;
  attemptTimeoutMs?: number;
}

const DEFAULT_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  deadlineMs: 60_000,
};

/**
 * POSTs each payment update to its statusCallback: JSON of the agent view (no card data exists in
 * it), signed with HMAC-SHA256 over timestamp and body, retried with backoff on network errors and
 * 5xx/429. Updates of one payment go out in order: each waits for the one before.
 */
export class WebhookSender {
  readonly #options: WebhookSenderOptions;
  readonly #queues = new Map<string, Promise<void>>();

  constructor(options: WebhookSenderOptions) {
    this.#options = options;
  }

  send(url: string, update: PaymentUpdate): void {
    const key = update.view.id;
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.#deliver(url, update));
    this.#queues.set(key, next);
    void next.finally(() => {
      if (this.#queues.get(key) === next) this.#queues.delete(key);
    });
  }

  /** Resolves when every queued delivery has succeeded or given up. */
  async drain(): Promise<void> {
    while (this.#queues.size > 0) await Promise.allSettled([...this.#queues.values()]);
  }

  async #deliver(url: string, update: PaymentUpdate): Promise<void> {
    const body = JSON.stringify({
      event: 'payment.updated',
      sequence: update.sequence,
      at: update.at,
      payment: update.view,
    });
    const logger = this.#options.logger.child({ paymentId: update.view.id, sequence: update.sequence });
    try {
      await withRetries(
        async ({ timeoutMs }) => {
          const timestamp = Math.floor(this.#options.clock.now() / 1000);
          let response: Response;
          try {
            response = await fetch(url, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                [SIGNATURE_HEADER]: signWebhook(this.#options.secret, timestamp, body),
                'idempotency-key': `${update.view.id}:${update.sequence}`,
              },
              body,
              redirect: 'manual',
              signal: AbortSignal.timeout(timeoutMs),
            });
          } catch (cause) {
            throw new GatewayError('GW_ERR_WEBHOOK_DELIVERY', 'status callback could not be reached', {
              retryable: true,
              cause,
            });
          }
          await response.body?.cancel();
          if (response.status >= 200 && response.status < 300) return;
          throw new GatewayError(
            'GW_ERR_WEBHOOK_DELIVERY',
            `status callback answered HTTP ${response.status}`,
            {
              retryable: response.status >= 500 || response.status === 429,
            },
          );
        },
        {
          policy: this.#options.policy ?? DEFAULT_POLICY,
          attemptTimeoutMs: this.#options.attemptTimeoutMs ?? 5_000,
          clock: {
            monotonic: () => this.#options.clock.monotonic(),
            sleep: (ms) => this.#options.timers.sleep(ms),
          },
          random: Math.random,
          onRetry: ({ attempt, delayMs }) => logger.info({ attempt, delayMs }, 'status callback retry'),
        },
      );
      logger.debug('status callback delivered');
    } catch (error) {
      logger.warn({ err: error, code: 'GW_ERR_WEBHOOK_DELIVERY' }, 'status callback given up');
    }
  }
}

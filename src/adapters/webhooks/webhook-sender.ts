import { randomUUID } from 'node:crypto';
import type { Clock, Timers } from '../../application/clock.js';
import type { PaymentUpdate } from '../../application/payments/payment-ports.js';
import { type PaymentStatusRecord, recordedView } from '../../application/payments/payment-status-store.js';
import { toPeopleView } from '../../domain/capture/people-view.js';
import type { Logger } from '../../logger.js';
import type { CallbackQueue, Delivery } from './callback-queue.js';
import type { CallbackAllowList } from './callback-url-policy.js';
import { pinAddress, postPinned, type Resolve, systemResolve } from './pinned-request.js';
import type { WebhookSigner } from './webhook-signer.js';

export interface WebhookSenderOptions {
  readonly queue: CallbackQueue;
  readonly signer: WebhookSigner;
  readonly allowList: CallbackAllowList;
  /** The wait after each failed attempt, ms; after the last, the delivery is given up. */
  readonly retryDelaysMs: readonly number[];
  /** The limit of one attempt, connection to status, ms. */
  readonly attemptTimeoutMs: number;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  /** How names are resolved (tests: a rebinding resolver). */
  readonly resolve?: Resolve;
  /** Payments whose callbacks are in flight at once. */
  readonly concurrency?: number;
  /**
   * Looks at the queue at least this often (a queue shared with other gateways: what one of them left
   * when it stopped is sent by another); undefined: only when something is queued or falls due.
   */
  readonly pollMs?: number;
}

/** How long the sender waits to look again at a queue that could not be read (no pollMs). */
const QUEUE_RETRY_MS = 5_000;

/** Why an attempt was aborted by `stop`: the delivery is left as it was, due, for the next run. */
const STOPPING = Symbol('stopping');

/** The body of a status callback (docs/webhooks.md, "Payload"). */
export function callbackBody(update: PaymentUpdate): string {
  return JSON.stringify({
    type: 'payment.updated',
    timestamp: update.at,
    data: { sequence: update.sequence, payment: toPeopleView(update.view) },
  });
}

/**
 * The body of a callback for a change to an earlier run's payment (ended at start, settled by
 * reconciliation): the same envelope, the payment as the status store knows it (states and counts,
 * the outcome alone: no last 4, no confirmation code, no token, no expiry).
 */
export function recordedCallbackBody(record: PaymentStatusRecord): string {
  return JSON.stringify({
    type: 'payment.updated',
    timestamp: record.updatedAt,
    data: { sequence: record.sequence ?? 0, payment: recordedView(record) },
  });
}

/**
 * Delivers status callbacks from the persisted queue (delivery-queue.ts): each payment's changes in
 * order (the next waits until the one before is delivered or given up), several payments at once,
 * each attempt signed (webhook-signer.ts) and sent to an address checked at that moment
 * (pinned-request.ts). `stop` ends the loop and aborts what is in flight at once: a stop never waits
 * for a receiver, and what is unsent is sent by the next run.
 */
export class WebhookSender {
  readonly #options: WebhookSenderOptions;
  readonly #inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  #timer: { cancel(): void } | undefined;
  #stopped = false;

  constructor(options: WebhookSenderOptions) {
    this.#options = options;
  }

  /** Queues a payment's change for its callback; a digit-only change (`progress`) is not sent. */
  send(url: string, update: PaymentUpdate): void {
    if (update.progress) return;
    this.#queue(url, update.view.id, callbackBody(update));
  }

  /** Queues the callback of a change to an earlier run's payment (recordedCallbackBody). */
  sendRecorded(record: PaymentStatusRecord): void {
    if (record.statusCallback) this.#queue(record.statusCallback, record.id, recordedCallbackBody(record));
  }

  #queue(url: string, paymentId: string, body: string): void {
    const { queue, clock } = this.#options;
    queue.add({ id: `msg_${randomUUID()}`, paymentId, url, body, now: clock.now() });
    this.#pump();
  }

  /** Starts delivering, the deliveries an earlier run left first. */
  start(): void {
    const pending = this.#options.queue.pendingCount;
    if (pending > 0) this.#options.logger.info({ pending }, 'status callbacks left by an earlier run');
    this.#pump();
  }

  /** Ends the loop, aborts attempts in flight (their deliveries stay queued, due) and resolves when they have let go. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    const running = [...this.#inFlight.values()];
    for (const { controller } of running) controller.abort(STOPPING);
    await Promise.allSettled(running.map(({ done }) => done));
  }

  #pump(): void {
    if (this.#stopped) return;
    const concurrency = this.#options.concurrency ?? 8;
    const now = this.#options.clock.now();
    let nextDue: number | undefined;
    let heads: Delivery[];
    try {
      heads = this.#options.queue.heads(concurrency + this.#inFlight.size);
    } catch (error) {
      // a shared queue (Redis) that does not answer: look again later, never crash the gateway
      this.#options.logger.warn({ err: error }, 'status callback queue unreadable; retrying');
      heads = [];
      nextDue = now + (this.#options.pollMs ?? QUEUE_RETRY_MS);
    }
    for (const delivery of heads) {
      if (this.#inFlight.has(delivery.paymentId)) continue;
      if (delivery.dueAt > now) {
        nextDue = Math.min(nextDue ?? delivery.dueAt, delivery.dueAt);
      } else if (this.#inFlight.size < concurrency) {
        this.#attempt(delivery);
      }
    }
    this.#timer?.cancel();
    const { pollMs } = this.#options;
    const waitMs = Math.min(
      nextDue === undefined ? Number.POSITIVE_INFINITY : nextDue - now,
      pollMs ?? Number.POSITIVE_INFINITY,
    );
    this.#timer = Number.isFinite(waitMs) ? this.#options.timers.set(waitMs, () => this.#pump()) : undefined;
  }

  #attempt(delivery: Delivery): void {
    const controller = new AbortController();
    const done = this.#run(delivery, controller).finally(() => {
      this.#inFlight.delete(delivery.paymentId);
      this.#pump();
    });
    this.#inFlight.set(delivery.paymentId, { controller, done });
  }

  async #run(delivery: Delivery, controller: AbortController): Promise<void> {
    const { signer, clock, timers, allowList } = this.#options;
    const logger = this.#options.logger.child({ paymentId: delivery.paymentId, webhookId: delivery.id });
    const timeout = timers.set(this.#options.attemptTimeoutMs, () => controller.abort());
    let failure: string | undefined;
    try {
      const host = new URL(delivery.url).hostname;
      const address = await pinAddress(host, allowList, this.#options.resolve ?? systemResolve);
      const status = await postPinned(
        {
          url: delivery.url,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'tonewall-webhooks',
            ...signer.headers(delivery.id, clock.now(), delivery.body),
          },
          body: delivery.body,
          signal: controller.signal,
        },
        address,
      );
      if (status < 200 || status > 299) failure = `status callback answered HTTP ${status}`;
    } catch (error) {
      failure = controller.signal.aborted
        ? 'status callback timed out'
        : error instanceof Error
          ? error.message
          : 'status callback failed';
    } finally {
      timeout.cancel();
    }
    if (controller.signal.reason === STOPPING) return;
    try {
      this.#record(delivery, failure, logger);
    } catch (error) {
      // the queue did not take the result: the delivery stays as it was and goes again (same webhook-id)
      logger.warn({ err: error }, 'status callback result not recorded; it will be sent again');
    }
  }

  #record(delivery: Delivery, failure: string | undefined, logger: Logger): void {
    const { queue, clock } = this.#options;
    if (failure === undefined) {
      queue.delivered(delivery.id);
      logger.debug({ attempt: delivery.attempts + 1 }, 'status callback delivered');
      return;
    }
    const attempts = delivery.attempts + 1;
    const delayMs = this.#options.retryDelaysMs[attempts - 1];
    queue.failed(delivery.id, attempts, failure, delayMs === undefined ? undefined : clock.now() + delayMs);
    if (delayMs === undefined) {
      logger.warn({ attempts, code: 'GW_ERR_WEBHOOK_DELIVERY', reason: failure }, 'status callback given up');
    } else {
      logger.info({ attempt: attempts, delayMs, reason: failure }, 'status callback retry');
    }
  }
}

import type { StateDatabase } from '../adapters/store/state-database.js';
import type { CallbackQueue } from '../adapters/webhooks/callback-queue.js';
import type { CallbackAllowList } from '../adapters/webhooks/callback-url-policy.js';
import { allowList, checkCallbackUrl } from '../adapters/webhooks/callback-url-policy.js';
import { DeliveryQueue } from '../adapters/webhooks/delivery-queue.js';
import { WebhookSender } from '../adapters/webhooks/webhook-sender.js';
import { WebhookSigner } from '../adapters/webhooks/webhook-signer.js';
import type { Clock, Timers } from '../application/clock.js';
import type { PaymentService } from '../application/payments/payment-service.js';
import type { PaymentStatusRecord } from '../application/payments/payment-status-store.js';
import type { WebhookSettings } from '../config/webhook-settings.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';

const NO_CALLBACKS: CallbackAllowList = { hosts: new Set(), addresses: new Set(), loopback: false };

/**
 * How a payment's statusCallback is checked when it is asked for: against the allow-list, or, with
 * callbacks off, refused (the HTTP routes refuse it first with a clearer message).
 */
export function callbackCheck(settings: WebhookSettings | undefined): (url: string) => void {
  const allowed = settings ? allowList(settings.hosts, { loopback: settings.loopback }) : NO_CALLBACKS;
  return (url) => {
    if (!settings)
      throw new GatewayError('GW_ERR_INVALID_BODY', '"statusCallback" needs webhooks, which are off');
    checkCallbackUrl(url, allowed);
  };
}

/**
 * Status callbacks (docs/webhooks.md), when TONEWALL_WEBHOOK_SECRET is set: the queue in the state
 * database, the sender that works it, and each payment change that has a statusCallback queued.
 * Deliveries an earlier run left go out first. `stop` never waits for a receiver.
 */
export function startWebhooks(options: {
  settings: WebhookSettings | undefined;
  db: StateDatabase;
  /** A queue shared with other gateways (Redis), looked at every `pollMs`; undefined: the state database's. */
  shared?: { queue: CallbackQueue; pollMs: number } | undefined;
  payments: PaymentService;
  /** The payments an earlier run left unfinished, ended by the status store at start. */
  ended?: readonly PaymentStatusRecord[];
  clock: Clock;
  timers: Timers;
  logger: Logger;
}): WebhookSender | undefined {
  const { settings, payments, clock } = options;
  if (!settings) return undefined;
  if (settings.loopback) {
    options.logger.warn(
      { setting: 'TONEWALL_WEBHOOK_LOOPBACK' },
      'status callbacks may reach loopback addresses the allow-list names: development and tests only',
    );
  }
  const sender = new WebhookSender({
    queue: options.shared?.queue ?? new DeliveryQueue(options.db, clock.now()),
    ...(options.shared ? { pollMs: options.shared.pollMs } : {}),
    signer: new WebhookSigner(settings.secrets),
    allowList: allowList(settings.hosts, { loopback: settings.loopback }),
    retryDelaysMs: settings.retryDelaysMs,
    attemptTimeoutMs: settings.attemptTimeoutMs,
    clock,
    timers: options.timers,
    logger: options.logger,
  });
  payments.onUpdate((update) => {
    const url = payments.callbackOf(update.view.id);
    if (url) sender.send(url, update);
  });
  // an earlier run's payments: those the status store ended at start, and reconciliation's settlements
  for (const record of options.ended ?? []) sender.sendRecorded(record);
  payments.onEarlierRunChange((record) => sender.sendRecorded(record));
  sender.start();
  return sender;
}

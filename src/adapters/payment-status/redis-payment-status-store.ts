import { endInterrupted } from '../../application/payments/interrupted-payment.js';
import type {
  PaymentStatusRecord,
  PaymentStatusStore,
} from '../../application/payments/payment-status-store.js';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { RedisBridge, RedisCommand } from '../store/redis-bridge.js';
import { statusRecordSchema } from './status-record-schema.js';

/** A finished payment's status stays readable this long after its last change. */
export const PAYMENT_STATUS_TTL_MS = 30 * 24 * 3_600_000;

export interface RedisPaymentStatusStoreOptions {
  readonly bridge: RedisBridge;
  /** This gateway (TONEWALL_INSTANCE_NAME): at open it ends only the payments it left unfinished. */
  readonly owner: string;
  readonly now: () => Date;
  readonly logger: Logger;
  /** Whether the payment's charge was sent without an answer (charge-ledger.ts): then `unknown`. */
  readonly inDoubt?: (paymentId: string) => boolean;
  readonly ttlMs?: number;
}

/**
 * Payment statuses in Redis, shared by the gateways: `tw:payment:<id>` holds the record's JSON (the
 * file's strict schema; no card data), expiring `ttlMs` after its last change; `tw:payments:open:<owner>`
 * lists the payments a gateway has capturing or processing. `save` sends without waiting, in order;
 * `flush` waits for Redis to acknowledge. At open a gateway ends its own unfinished payments as the
 * file store ends all (failed / internal-error, or unknown when charging) — never another gateway's.
 */
export class RedisPaymentStatusStore implements PaymentStatusStore {
  readonly #options: RedisPaymentStatusStoreOptions;
  readonly #bridge: RedisBridge;
  #closed = false;

  private constructor(options: RedisPaymentStatusStoreOptions) {
    this.#options = options;
    this.#bridge = options.bridge;
  }

  static async open(
    options: RedisPaymentStatusStoreOptions,
  ): Promise<{ store: RedisPaymentStatusStore; interrupted: PaymentStatusRecord[] }> {
    const store = new RedisPaymentStatusStore(options);
    const [ids] = options.bridge.call([['SMEMBERS', openSetOf(options.owner)]]);
    const interrupted: PaymentStatusRecord[] = [];
    const at = options.now().toISOString();
    for (const id of Array.isArray(ids) ? ids.map(String) : []) {
      const record = store.get(id);
      const ended = record && endInterrupted(record, { at, inDoubt: options.inDoubt?.(id) === true });
      if (ended) {
        store.save(ended);
        interrupted.push(ended);
      } else {
        options.bridge.send([['SREM', openSetOf(options.owner), id]]);
      }
    }
    await store.flush();
    return { store, interrupted };
  }

  save(record: PaymentStatusRecord): void {
    if (this.#closed) return;
    const open = record.status === 'in-progress' || record.status === 'processing';
    const ttl = String(this.#options.ttlMs ?? PAYMENT_STATUS_TTL_MS);
    const commands: RedisCommand[] = [
      ['SET', keyOf(record.id), JSON.stringify(record), 'PX', ttl],
      [open ? 'SADD' : 'SREM', openSetOf(this.#options.owner), record.id],
    ];
    this.#bridge.send(commands, { atomic: true });
  }

  get(paymentId: string): PaymentStatusRecord | undefined {
    const [value] = this.#bridge.call([['GET', keyOf(paymentId)]]);
    if (value === null || value === undefined) return undefined;
    const parsed = typeof value === 'string' ? statusRecordSchema.safeParse(parseJson(value)) : undefined;
    if (!parsed?.success) {
      this.#options.logger.warn({ paymentId }, 'unreadable payment status in the state store');
      throw new GatewayError('GW_ERR_STATE_STORE', 'a payment status in the state store is unreadable');
    }
    return parsed.data as PaymentStatusRecord;
  }

  async flush(): Promise<void> {
    try {
      await this.#bridge.drain();
    } catch (error) {
      this.#options.logger.error({ err: error }, 'payment status could not be written');
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
  }
}

function keyOf(paymentId: string): string {
  return `tw:payment:${paymentId}`;
}

function openSetOf(owner: string): string {
  return `tw:payments:open:${owner}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

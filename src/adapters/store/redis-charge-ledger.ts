import type { ChargeInDoubt, ChargeLedger } from '../../application/payments/charge-ledger.js';
import { GatewayError } from '../../errors.js';
import type { RedisBridge, RedisReply } from './redis-bridge.js';
import { OPEN, SENDING, SETTLED, UNKNOWN } from './redis-charge-scripts.js';

const INDEX = 'tw:charges';

export interface RedisChargeLedgerOptions {
  /** This gateway (TONEWALL_INSTANCE_NAME): the rows it made are its own to list and reconcile. */
  readonly owner: string;
}

/**
 * Charges in doubt in Redis, shared by the gateways (redis-charge-scripts.ts for the layout). Each
 * gateway lists, and so reconciles, only its own charges (`inDoubt`): another gateway's payment lives
 * in that gateway's memory, which a settlement made here would leave behind. Every gateway refuses a
 * new charge on a call with any gateway's charge in doubt (`inDoubtOnCall`). A gateway that never
 * comes back leaves its charges in doubt until a gateway with its TONEWALL_INSTANCE_NAME starts (on
 * any host): taking them over is not built (docs/operations.md). Rows never expire: money may have moved.
 */
export class RedisChargeLedger implements ChargeLedger {
  readonly #bridge: RedisBridge;
  readonly #owner: string;

  constructor(bridge: RedisBridge, options: RedisChargeLedgerOptions) {
    this.#bridge = bridge;
    this.#owner = options.owner;
    bridge.call([['EVAL', OPEN, '1', INDEX, options.owner]]);
  }

  sending(charge: Omit<ChargeInDoubt, 'state'>): void {
    const { paymentId, callId, agent, processorKey, sentAt } = charge;
    this.#bridge.call([
      [
        'EVAL',
        SENDING,
        '2',
        rowOf(paymentId),
        INDEX,
        paymentId,
        callId,
        agent,
        processorKey,
        String(sentAt),
        this.#owner,
      ],
    ]);
  }

  settled(paymentId: string): void {
    this.#bridge.call([['EVAL', SETTLED, '2', rowOf(paymentId), INDEX, paymentId]]);
  }

  unknown(paymentId: string): void {
    this.#bridge.call([['EVAL', UNKNOWN, '1', rowOf(paymentId)]]);
  }

  inDoubt(): ChargeInDoubt[] {
    const [ids] = this.#bridge.call([['ZRANGE', INDEX, '0', '-1']]);
    if (!Array.isArray(ids) || ids.length === 0) return [];
    const rows = this.#bridge.call(ids.map((id) => ['HGETALL', rowOf(String(id))]));
    return ids.flatMap((id, index) => {
      const row = rowFields(rows[index]);
      return row && row.owner === this.#owner ? [chargeOf(String(id), row)] : [];
    });
  }

  inDoubtOnCall(callId: string): boolean {
    const [count] = this.#bridge.call([['SCARD', `tw:charges:call:${callId}`]]);
    return typeof count === 'number' && count > 0;
  }
}

function rowOf(paymentId: string): string {
  return `tw:charge:${paymentId}`;
}

/** HGETALL's flat [field, value, …] as a record; undefined for a row gone since the index was read. */
function rowFields(reply: RedisReply | undefined): Record<string, string> | undefined {
  if (!Array.isArray(reply) || reply.length === 0) return undefined;
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = String(reply[i + 1]);
  return fields;
}

function chargeOf(paymentId: string, row: Record<string, string>): ChargeInDoubt {
  const sentAt = Number(row.sentAt);
  const state = row.state;
  if (
    !row.callId ||
    !row.processorKey ||
    !Number.isInteger(sentAt) ||
    (state !== 'sending' && state !== 'unknown')
  ) {
    throw new GatewayError('GW_ERR_STATE_STORE', 'a charge in the state store is unreadable');
  }
  return {
    paymentId,
    callId: row.callId,
    agent: row.agent ?? '',
    processorKey: row.processorKey,
    sentAt,
    state,
  };
}

import type { ChargeInDoubt, ChargeLedger } from '../../application/payments/charge-ledger.js';
import { GatewayError } from '../../errors.js';
import type { RedisBridge, RedisReply } from './redis-bridge.js';
import { OPEN, SENDING, SETTLED, UNKNOWN } from './redis-charge-scripts.js';

const INDEX = 'tw:charges';

export interface RedisChargeLedgerOptions {
  /** This gateway (TONEWALL_INSTANCE_NAME): the rows it leaves `sending` are its own to turn unknown. */
  readonly owner: string;
  /** Another gateway's row `sending` for longer than this has no run waiting for it (the processor deadline and a margin). */
  readonly staleAfterMs: number;
  /** Now, epoch ms (the injected clock). */
  readonly now: () => number;
}

/**
 * Charges in doubt in Redis, shared by the gateways (redis-charge-scripts.ts for the layout): a
 * gateway that starts reconciles its own earlier run's charges and those a gateway that died left,
 * never a charge another gateway is still waiting on. Rows never expire: money may have moved.
 */
export class RedisChargeLedger implements ChargeLedger {
  readonly #bridge: RedisBridge;
  readonly #owner: string;

  constructor(bridge: RedisBridge, options: RedisChargeLedgerOptions) {
    this.#bridge = bridge;
    this.#owner = options.owner;
    const staleBefore = options.now() - options.staleAfterMs;
    bridge.call([['EVAL', OPEN, '1', INDEX, options.owner, String(staleBefore)]]);
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
      return row ? [chargeOf(String(id), row)] : [];
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

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanForPans } from '../../../src/adapters/audit/pan-scanner.js';
import { RedisPaymentStatusStore } from '../../../src/adapters/payment-status/redis-payment-status-store.js';
import { RedisChargeLedger } from '../../../src/adapters/store/redis-charge-ledger.js';
import { RedisIdempotencyLedger } from '../../../src/adapters/store/redis-idempotency-ledger.js';
import { CallRegistry } from '../../../src/application/calls/call-registry.js';
import { type PaymentRequest, PaymentService } from '../../../src/application/payments/payment-service.js';
import type { KeypadKey } from '../../../src/domain/capture/keypad.js';
import { GatewayError } from '../../../src/errors.js';
import { answeredEvent } from '../../support/call-fixtures.js';
import { FakeTime } from '../../support/fake-time.js';
import { captureLogs } from '../../support/log-capture.js';
import { useTestRedis } from '../../support/redis-server.js';
import { ScriptedConnector } from '../../support/scripted-connector.js';

const CARDS = ['4242424242424242', '5555555555554444'];
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const request = (idempotencyKey: string): PaymentRequest => ({
  idempotencyKey,
  tokenType: 'one-time',
  chargeAmount: '10.00',
  currency: 'gbp',
  settings: {},
});

const shared = useTestRedis();

/** One gateway of a pair: its own calls and captures, the payment state in the shared Redis. */
async function gateway(owner: string) {
  const bridge = await shared.bridge();
  const time = new FakeTime();
  const charges = new RedisChargeLedger(bridge, { owner });
  const { store } = await RedisPaymentStatusStore.open({
    bridge,
    owner,
    now: () => new Date(time.now()),
    logger: captureLogs().logger,
  });
  const registry = new CallRegistry();
  const connector = new ScriptedConnector();
  const prompts = { play: async () => undefined, readBack: async () => undefined };
  const service = new PaymentService({
    registry,
    connector,
    prompts,
    clock: time,
    timers: time,
    logger: captureLogs().logger,
    statusStore: store,
    idempotencyLedger: new RedisIdempotencyLedger(bridge),
    charges,
  });
  const call = registry.answered(
    answeredEvent('sip-shared', {
      fromTag: 'c',
      toTag: 'a',
      customerTag: 'c',
      agentTag: 'a',
      ts: 1_795_400_000,
    }),
  );
  const key = (keys: string) => {
    for (const k of keys) service.onCustomerKey(call, k as KeypadKey);
  };
  return { service, connector, call, key, store };
}

/** Every key Redis holds and every value under it, as redis-cli prints them. */
function everythingInRedis(): { keys: string[]; text: string } {
  const keys = shared.server().cli('--scan').split('\n').filter(Boolean);
  const values = keys.map((key) => {
    const type = shared.server().cli('TYPE', key).trim();
    const read: Record<string, string[]> = {
      string: ['GET', key],
      hash: ['HGETALL', key],
      set: ['SMEMBERS', key],
      zset: ['ZRANGE', key, '0', '-1', 'WITHSCORES'],
      list: ['LRANGE', key, '0', '-1'],
    };
    const command = read[type];
    if (!command) throw new Error(`a key of an unexpected type: ${type}`);
    return shared.server().cli(...command);
  });
  return { keys, text: `${keys.join('\n')}\n${values.join('\n')}` };
}

/** What the project's PAN scanner finds in `text` written to a file. */
async function panFindings(text: string) {
  const folder = mkdtempSync(join(tmpdir(), 'tonewall-redis-dump-'));
  try {
    writeFileSync(join(folder, 'redis-dump.txt'), text);
    return (await scanForPans([folder])).findings;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('two gateways on one Redis (payments through the real PaymentService)', () => {
  it("B answers A's payment by its key, refuses a charge on A's call in doubt, and Redis holds no card data", async () => {
    const a = await gateway('gw-a');
    const b = await gateway('gw-b');
    expect(b.call.id).toBe(a.call.id); // the call id is the SIP Call-ID's hash: the same on both

    const paid = a.service.create(a.call.id, request('order-1'));
    a.key(`${CARDS[0]}#1230123`);
    await settle();
    expect(a.service.get(paid.view.id).status).toBe('succeeded');
    await a.store.flush();

    // a client retrying through the other gateway gets the same payment, not a second one
    const replay = b.service.create(b.call.id, request('order-1'));
    expect(replay.created).toBe(false);
    expect(replay.view).toMatchObject({
      id: paid.view.id,
      status: 'succeeded',
      result: { outcome: 'success' },
    });
    expect(b.connector.requests).toHaveLength(0);

    // a charge whose answer never came: unknown, and B will not charge that call meanwhile
    a.connector.answer = () =>
      Promise.reject(new GatewayError('GW_ERR_PROCESSOR_TIMEOUT', 'late', { retryable: true }));
    const doubtful = a.service.create(a.call.id, request('order-2'));
    a.key(`${CARDS[1]}#0627456`);
    await settle();
    expect(a.service.get(doubtful.view.id).status).toBe('unknown');
    expect(() => b.service.create(b.call.id, request('order-3'))).toThrow(
      expect.objectContaining({ code: 'GW_ERR_CHARGE_IN_DOUBT' }),
    );
    await a.store.flush();

    const { keys, text } = everythingInRedis();
    // not vacuous: the payments, their keys and the charge in doubt are there
    expect(keys).toEqual(
      expect.arrayContaining([
        `tw:payment:${paid.view.id}`,
        `tw:payment:${doubtful.view.id}`,
        `tw:charge:${doubtful.view.id}`,
        'tw:charges',
        `tw:charges:call:${a.call.id}`,
      ]),
    );
    expect(keys.filter((key) => key.startsWith('tw:idem:'))).toHaveLength(2);
    for (const card of CARDS) {
      expect(text).not.toContain(card);
      expect(text).not.toContain(card.slice(0, 8));
    }
    // the project's card-number scanner (Luhn, brand prefixes) over a dump of it all; it would see one
    expect(await panFindings(text)).toEqual([]);
    expect(await panFindings(`${text}\n${CARDS[1]}`)).toHaveLength(1);
    expect(text).not.toContain('tok_1');
    expect(text).not.toContain('CONF1');
  });
});

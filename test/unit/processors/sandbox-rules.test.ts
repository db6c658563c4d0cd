import { describe, expect, it } from 'vitest';
import type { CardPayload } from '../../../src/adapters/processors/jwe-wire.js';
import { GatewayError } from '../../../src/errors.js';
import { IdempotencyStore } from '../../../src/sandbox/idempotency-store.js';
import { bindingRefusal, canonicalRequest } from '../../../src/sandbox/request-binding.js';
import { loadSandboxConfig } from '../../../src/sandbox/sandbox-config.js';
import { chargeCard, type SandboxAnswer, type SandboxReply } from '../../../src/sandbox/test-cards.js';

const NOW = Date.UTC(2026, 4, 15);
const payload = (number: string, extra: Partial<CardPayload> = {}): CardPayload => ({
  paymentId: 'pay_1',
  idempotencyKey: 'key-1',
  iat: NOW / 1000,
  jti: 'jti-1',
  card: { number, expMonth: 12, expYear: 2030, securityCode: '123' },
  tokenType: 'one-time',
  ...extra,
});

describe('sandbox test cards', () => {
  it.each([
    ['4242424242424242', 200, 'succeeded'],
    ['5555555555554444', 200, 'succeeded'],
    ['4000000000000002', 402, 'declined'],
    ['4000000000009995', 402, 'declined'],
    ['4000000000000119', 500, 'error'],
    ['4242424242424241', 402, 'declined'], // fails Luhn
  ])('%s → HTTP %i (%s)', (number, status, outcome) => {
    expect(chargeCard(payload(number), NOW)).toMatchObject({ kind: 'reply', status, outcome });
  });

  it('holds 4000000000000101 without an answer, and settles it as a success (a charge whose reply was lost)', () => {
    expect(chargeCard(payload('4000000000000101', { chargeAmount: '10.00' }), NOW)).toMatchObject({
      kind: 'hang',
      settles: { kind: 'reply', status: 200, outcome: 'succeeded', body: { last4: '0101' } },
    });
  });

  it('declines with the right codes', () => {
    expect(chargeCard(payload('4000000000009995'), NOW)).toMatchObject({
      body: { error: { declineCode: 'insufficient_funds' } },
    });
    expect(chargeCard(payload('4242424242424241'), NOW)).toMatchObject({
      body: { error: { declineCode: 'incorrect_number' } },
    });
    const expired = payload('4242424242424242', {
      card: { number: '4242424242424242', expMonth: 4, expYear: 2026 },
    });
    expect(chargeCard(expired, NOW)).toMatchObject({ body: { error: { declineCode: 'expired_card' } } });
    const thisMonth = payload('4242424242424242', {
      card: { number: '4242424242424242', expMonth: 5, expYear: 2026 },
    });
    expect(chargeCard(thisMonth, NOW)).toMatchObject({ status: 200 });
  });

  it('answers a token, last4 and brand, and a charge only for an amount above zero', () => {
    const tokenOnly = chargeCard(payload('4242424242424242'), NOW);
    expect(tokenOnly).toMatchObject({
      body: { last4: '4242', brand: 'visa', token: expect.stringMatching(/^tok_/) },
    });
    expect(tokenOnly.kind === 'reply' && 'chargeId' in tokenOnly.body).toBe(false);
    const zero = chargeCard(payload('4242424242424242', { chargeAmount: '0.00', currency: 'usd' }), NOW);
    expect(zero.kind === 'reply' && 'chargeId' in zero.body).toBe(false);
    const charged = chargeCard(
      payload('4242424242424242', { chargeAmount: '10.00', tokenType: 'reusable' }),
      NOW,
    );
    expect(charged).toMatchObject({
      body: {
        token: expect.stringMatching(/^card_/),
        chargeId: expect.stringMatching(/^ch_/),
        confirmationCode: expect.stringMatching(/^[A-Z2-9]{6}$/),
      },
    });
  });
});

const OK: SandboxReply = {
  kind: 'reply',
  status: 200,
  outcome: 'succeeded',
  body: { token: 't', last4: '4242' },
};
const HANG: SandboxAnswer = { kind: 'hang', settles: OK };
const HOLD = { now: NOW, holdMs: 1_000, paymentId: 'PK1' };

describe('IdempotencyStore', () => {
  it('replays the first answer for the same payload and refuses another payload', () => {
    const store = new IdempotencyStore();
    const a = store.fingerprint('{"a":1}');
    const b = store.fingerprint('{"a":2}');
    expect(store.lookup('k', a, NOW)).toEqual({ kind: 'new' });
    store.record('k', a, HANG, HOLD);
    expect(store.lookup('k', a, NOW + 400)).toEqual({
      kind: 'replay',
      settled: { kind: 'held', remainingMs: 600 },
    });
    expect(store.lookup('k', b, NOW)).toEqual({ kind: 'mismatch' });
    expect(store.counts(NOW)).toEqual({
      k: { paymentId: 'PK1', charges: 1, requests: 3, outcome: 'pending' },
    });
  });

  it('settles a held request when its hold ends: replays and lookups then get the answer, still one charge', () => {
    const store = new IdempotencyStore();
    store.record('k', 'f', HANG, HOLD);
    expect(store.find('k', NOW + 999)).toEqual({ kind: 'held', remainingMs: 1 });
    expect(store.find('k', NOW + 1_000)).toEqual({ kind: 'answered', reply: OK });
    expect(store.lookup('k', 'f', NOW + 1_000)).toEqual({
      kind: 'replay',
      settled: { kind: 'answered', reply: OK },
    });
    expect(store.counts(NOW + 1_000)).toEqual({
      k: { paymentId: 'PK1', charges: 1, requests: 2, outcome: 'succeeded' },
    });
    expect(store.find('other', NOW)).toBeUndefined();
  });

  it('remembers the key of each jti for 15 minutes', () => {
    const store = new IdempotencyStore();
    store.rememberJti('j', 'k1', NOW);
    store.rememberJti('j', 'k2', NOW); // the first key stays
    expect(store.keyOfJti('j', NOW + 15 * 60_000 - 1)).toBe('k1');
    expect(store.keyOfJti('j', NOW + 15 * 60_000 + 1)).toBeUndefined();
  });

  it('fingerprints with a per-process secret (not a plain hash of the payload)', () => {
    expect(new IdempotencyStore().fingerprint('x')).not.toBe(new IdempotencyStore().fingerprint('x'));
  });

  it('forgets the oldest keys beyond its bound', () => {
    const store = new IdempotencyStore({ maxKeys: 2 });
    for (const key of ['a', 'b', 'c']) store.record(key, 'f', HANG, HOLD);
    expect(Object.keys(store.counts(NOW))).toEqual(['b', 'c']);
  });
});

describe('the payload bound to its request (spec 4.1)', () => {
  const store = new IdempotencyStore();
  store.rememberJti('seen', 'key-0', NOW);
  it.each<[string, Partial<CardPayload>, string | undefined]>([
    ['a bound, fresh payload', {}, undefined],
    ['another key inside than in the header', { idempotencyKey: 'key-2' }, 'idempotency_key_mismatch'],
    ['iat 300 s old', { iat: NOW / 1000 - 300 }, undefined],
    ['iat 301 s old', { iat: NOW / 1000 - 301 }, 'stale_request'],
    ['iat 300 s ahead', { iat: NOW / 1000 + 300 }, undefined],
    ['iat 301 s ahead', { iat: NOW / 1000 + 301 }, 'stale_request'],
    ['a jti seen under another key', { jti: 'seen' }, 'jti_reused'],
  ])('%s → %s', (_name, extra, expected) => {
    expect(bindingRefusal(payload('4242424242424242', extra), 'key-1', NOW, store)).toBe(expected);
  });

  it('allows a jti again under the key it came with (a retry of the same bytes)', () => {
    expect(
      bindingRefusal(
        payload('4242424242424242', { idempotencyKey: 'key-0', jti: 'seen' }),
        'key-0',
        NOW,
        store,
      ),
    ).toBeUndefined();
  });

  it('compares requests without iat and jti (a fresh encryption of one request is the same request)', () => {
    const first = payload('4242424242424242');
    expect(canonicalRequest({ ...first, iat: first.iat + 7, jti: 'jti-2' })).toBe(canonicalRequest(first));
    expect(canonicalRequest({ ...first, chargeAmount: '1.00' })).not.toBe(canonicalRequest(first));
  });
});

describe('loadSandboxConfig', () => {
  it('defaults to 127.0.0.1:8443 and keys/ under TONEWALL_ROOT', () => {
    const config = loadSandboxConfig({ TONEWALL_ROOT: '/srv/tw', TONEWALL_HTTP_PORT: '1' }, '/elsewhere');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8443,
      keysDir: '/srv/tw/keys',
      certFile: '/srv/tw/keys/sandbox-server.pem',
      keyFile: '/srv/tw/keys/sandbox-server.key',
      caFile: '/srv/tw/keys/ca.pem',
      decryptionKeyFiles: undefined,
      hangMs: 60_000,
    });
  });

  it('reads overrides and a list of decryption keys', () => {
    const config = loadSandboxConfig(
      {
        TONEWALL_SANDBOX_PORT: '0',
        TONEWALL_SANDBOX_DECRYPTION_KEYS: 'a.key, /abs/b.key',
        TONEWALL_KEYS_DIR: 'k',
      },
      '/w',
    );
    expect(config.port).toBe(0);
    expect(config.keysDir).toBe('/w/k');
    expect(config.decryptionKeyFiles).toEqual(['/w/a.key', '/abs/b.key']);
  });

  it.each([
    [{ TONEWALL_SANDBOX_PORTT: '1' }, 'TONEWALL_SANDBOX_PORTT'],
    [{ TONEWALL_SANDBOX_PORT: '70000' }, 'TONEWALL_SANDBOX_PORT'],
    [{ TONEWALL_SANDBOX_HANG_MS: 'soon' }, 'TONEWALL_SANDBOX_HANG_MS'],
  ])('refuses %j naming the setting', (environment, name) => {
    expect(() => loadSandboxConfig(environment, '/w')).toThrowError(
      expect.objectContaining({ code: 'GW_ERR_CONFIG', message: expect.stringContaining(name) }),
    );
    expect(() => loadSandboxConfig(environment, '/w')).toThrow(GatewayError);
  });
});

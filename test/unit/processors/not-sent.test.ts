import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  type ProcessorFailure,
} from '../../../src/adapters/processors/map-processor-reply.js';
import { finalError, type RetryClock, withRetries } from '../../../src/adapters/processors/retry-policy.js';
import type { RetryPolicy } from '../../../src/config/processor-settings.js';
import { GatewayError } from '../../../src/errors.js';

/**
 * GatewayError.notSent: set only where the processor provably never saw the request, because the
 * payment service reads "not sent" as "no charge possible" (failed) and anything else as "a charge
 * may have happened" (unknown). Getting it wrong one way hides a charge; the other way only asks.
 */

type Row = [string, ProcessorFailure, { code: string; notSent: boolean }];
const UNAVAILABLE = 'GW_ERR_PROCESSOR_UNAVAILABLE';
const net = (code: string | undefined, written?: boolean): ProcessorFailure => ({
  kind: 'network',
  ...(code === undefined ? {} : { code }),
  ...(written === undefined ? {} : { written }),
});

describe('classifyFailure: notSent', () => {
  it.each<Row>([
    // the transport says the request was not written: whatever the code
    ['refused, not written', net('ECONNREFUSED', false), { code: UNAVAILABLE, notSent: true }],
    ['host unreachable, not written', net('EHOSTUNREACH', false), { code: UNAVAILABLE, notSent: true }],
    ['network unreachable, not written', net('ENETUNREACH', false), { code: UNAVAILABLE, notSent: true }],
    [
      'reset in a TLS 1.2 handshake, not written',
      net('ECONNRESET', false),
      { code: UNAVAILABLE, notSent: true },
    ],
    [
      'server certificate refused, not written',
      net('CERT_SIGNATURE_FAILURE', false),
      { code: UNAVAILABLE, notSent: true },
    ],
    ['no code, not written', net(undefined, false), { code: UNAVAILABLE, notSent: true }],
    // the transport says it was written: never, whatever the code
    ['reset after writing', net('ECONNRESET', true), { code: UNAVAILABLE, notSent: false }],
    ['socket hang up after writing', net('ECONNRESET', true), { code: UNAVAILABLE, notSent: false }],
    [
      'refused client certificate under TLS 1.3 (reset after our write)',
      net('ECONNRESET', true),
      { code: UNAVAILABLE, notSent: false },
    ],
    ['host unreachable after writing', net('EHOSTUNREACH', true), { code: UNAVAILABLE, notSent: false }],
    // the transport cannot tell (the Stripe SDK): only codes that exist before a connection does
    ['refused', net('ECONNREFUSED'), { code: UNAVAILABLE, notSent: true }],
    ['name not found', net('ENOTFOUND'), { code: UNAVAILABLE, notSent: true }],
    ['DNS try again', net('EAI_AGAIN'), { code: UNAVAILABLE, notSent: true }],
    [
      'untrusted server certificate',
      net('UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
      { code: UNAVAILABLE, notSent: true },
    ],
    ['self-signed server', net('DEPTH_ZERO_SELF_SIGNED_CERT'), { code: UNAVAILABLE, notSent: true }],
    ['expired server certificate', net('CERT_HAS_EXPIRED'), { code: UNAVAILABLE, notSent: true }],
    ['wrong host name', net('ERR_TLS_CERT_ALTNAME_INVALID'), { code: UNAVAILABLE, notSent: true }],
    [
      'host unreachable (an established socket can say so too)',
      net('EHOSTUNREACH'),
      { code: UNAVAILABLE, notSent: false },
    ],
    ['network unreachable', net('ENETUNREACH'), { code: UNAVAILABLE, notSent: false }],
    ['reset', net('ECONNRESET'), { code: UNAVAILABLE, notSent: false }],
    ['broken pipe', net('EPIPE'), { code: UNAVAILABLE, notSent: false }],
    [
      'a TLS alert from the server (TLS 1.3: after our write)',
      net('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'),
      { code: UNAVAILABLE, notSent: false },
    ],
    ['no code', net(undefined), { code: UNAVAILABLE, notSent: false }],
    ['a code with a prefix of a safe one', net('ECONNREFUSEDX'), { code: UNAVAILABLE, notSent: false }],
    // not network failures: never
    ['a timeout', { kind: 'timeout' }, { code: 'GW_ERR_PROCESSOR_TIMEOUT', notSent: false }],
    ['a 500', { kind: 'status', status: 500 }, { code: UNAVAILABLE, notSent: false }],
    ['a 503', { kind: 'status', status: 503 }, { code: UNAVAILABLE, notSent: false }],
    ['a 429', { kind: 'status', status: 429 }, { code: 'GW_ERR_PROCESSOR_RATE_LIMITED', notSent: false }],
    [
      'a 409 in progress',
      { kind: 'status', status: 409, vendorCode: 'idempotency_key_in_use' },
      { code: 'GW_ERR_PROCESSOR_REJECTED', notSent: false },
    ],
    [
      'a 422 key reused',
      { kind: 'status', status: 422, vendorCode: 'idempotency_key_reused' },
      { code: 'GW_ERR_PROCESSOR_REJECTED', notSent: false },
    ],
    ['a 400', { kind: 'status', status: 400 }, { code: 'GW_ERR_PROCESSOR_REJECTED', notSent: false }],
    [
      'an unreadable reply',
      { kind: 'malformed', what: 'token reply', status: 200 },
      { code: 'GW_ERR_PROCESSOR_PROTOCOL', notSent: false },
    ],
  ])('%s', (_name, failure, expected) => {
    const error = classifyFailure(failure, 'p');
    expect(error).toBeInstanceOf(GatewayError);
    expect({ code: (error as GatewayError).code, notSent: (error as GatewayError).notSent }).toEqual(
      expected,
    );
  });
});

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 100, deadlineMs: 10_000 };
const clock: RetryClock = { monotonic: () => 0, sleep: async () => {} };
const refused = () => classifyFailure(net('ECONNREFUSED', false), 'p') as GatewayError;
const reset = () => classifyFailure(net('ECONNRESET', true), 'p') as GatewayError;
const timedOut = () => classifyFailure({ kind: 'timeout' }, 'p') as GatewayError;
const failed500 = () => classifyFailure({ kind: 'status', status: 500 }, 'p') as GatewayError;
const tlsUntrusted = () =>
  classifyFailure(net('UNABLE_TO_VERIFY_LEAF_SIGNATURE', false), 'p') as GatewayError;
const rejected = () => classifyFailure({ kind: 'status', status: 400 }, 'p') as GatewayError;

async function run(sequence: Array<() => GatewayError>): Promise<GatewayError> {
  let attempt = 0;
  try {
    await withRetries(
      async () => {
        const next = sequence[Math.min(attempt, sequence.length - 1)];
        attempt += 1;
        throw next?.();
      },
      { policy: { ...policy, maxAttempts: sequence.length }, attemptTimeoutMs: 100, clock, random: () => 0 },
    );
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a failure');
}

describe('a retry sequence: the last error decides, but an earlier attempt that may have landed wins over notSent', () => {
  it.each<[string, Array<() => GatewayError>, { code: string; notSent: boolean }]>([
    ['refused ×4', [refused, refused, refused, refused], { code: UNAVAILABLE, notSent: true }],
    ['refused, then a certificate we refuse', [refused, tlsUntrusted], { code: UNAVAILABLE, notSent: true }],
    [
      'a timeout, then refused ×3',
      [timedOut, refused, refused, refused],
      { code: UNAVAILABLE, notSent: false },
    ],
    ['a 500, then refused', [failed500, refused], { code: UNAVAILABLE, notSent: false }],
    ['a reset after writing, then refused', [reset, refused], { code: UNAVAILABLE, notSent: false }],
    ['refused, then a reset after writing', [refused, reset], { code: UNAVAILABLE, notSent: false }],
    [
      'refused, then a timeout',
      [refused, refused, timedOut],
      { code: 'GW_ERR_PROCESSOR_TIMEOUT', notSent: false },
    ],
    ['refused, then a 400', [refused, rejected], { code: 'GW_ERR_PROCESSOR_REJECTED', notSent: false }],
    [
      'a timeout, then an untrusted certificate (not retried)',
      [timedOut, tlsUntrusted],
      { code: UNAVAILABLE, notSent: false },
    ],
  ])('%s', async (_name, sequence, expected) => {
    const error = await run(sequence);
    expect(error).toBeInstanceOf(GatewayError);
    expect({ code: error.code, notSent: error.notSent }).toEqual(expected);
  });

  it('finalError keeps code, retryable flag and the last error as cause', () => {
    const last = refused();
    const error = finalError(last, true) as GatewayError;
    expect(error).toMatchObject({ code: UNAVAILABLE, retryable: true, notSent: false, cause: last });
    expect(finalError(last, false)).toBe(last);
    expect(finalError(reset(), true)).toBeInstanceOf(GatewayError);
  });
});

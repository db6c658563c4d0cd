import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  mapProcessorReply,
  type ProcessorFailure,
  safeVendorCode,
} from '../../../src/adapters/processors/map-processor-reply.js';
import { GatewayError } from '../../../src/errors.js';

type Expected = { code: string; retryable: boolean } | { declineCode: string };

function outcomeOf(value: unknown): Expected {
  if (value instanceof GatewayError) return { code: value.code, retryable: value.retryable };
  return { declineCode: (value as { declineCode: string }).declineCode };
}

describe('classifyFailure', () => {
  it.each<[string, ProcessorFailure, Expected]>([
    ['a timeout', { kind: 'timeout' }, { code: 'GW_ERR_PROCESSOR_TIMEOUT', retryable: true }],
    [
      'connection refused',
      { kind: 'network', code: 'ECONNREFUSED' },
      { code: 'GW_ERR_PROCESSOR_UNAVAILABLE', retryable: true },
    ],
    [
      'connection reset',
      { kind: 'network', code: 'ECONNRESET' },
      { code: 'GW_ERR_PROCESSOR_UNAVAILABLE', retryable: true },
    ],
    [
      'a network error without code',
      { kind: 'network' },
      { code: 'GW_ERR_PROCESSOR_UNAVAILABLE', retryable: true },
    ],
    [
      'an untrusted server',
      { kind: 'network', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
      { code: 'GW_ERR_PROCESSOR_UNAVAILABLE', retryable: false },
    ],
    [
      'a self-signed server',
      { kind: 'network', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      { code: 'GW_ERR_PROCESSOR_UNAVAILABLE', retryable: false },
    ],
    [
      'a wrong host name',
      { kind: 'network', code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      { code: 'GW_ERR_PROCESSOR_UNAVAILABLE', retryable: false },
    ],
    [
      'a refused client certificate',
      { kind: 'network', code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' },
      { code: 'GW_ERR_PROCESSOR_UNAVAILABLE', retryable: false },
    ],
    [
      'an unknown CA alert',
      { kind: 'network', code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' },
      { code: 'GW_ERR_PROCESSOR_UNAVAILABLE', retryable: false },
    ],
    [
      'a 402 card_error',
      { kind: 'status', status: 402, vendorType: 'card_error', vendorCode: 'card_declined' },
      { declineCode: 'card_declined' },
    ],
    [
      'a 402 with decline code',
      {
        kind: 'status',
        status: 402,
        vendorType: 'card_error',
        vendorCode: 'card_declined',
        declineCode: 'insufficient_funds',
      },
      { declineCode: 'insufficient_funds' },
    ],
    [
      'a card_error with empty decline code',
      { kind: 'status', status: 402, vendorType: 'card_error', vendorCode: 'expired_card', declineCode: '' },
      { declineCode: 'expired_card' },
    ],
    [
      'a 402 that is not a card error',
      { kind: 'status', status: 402, vendorType: 'invalid_request_error' },
      { code: 'GW_ERR_PROCESSOR_REJECTED', retryable: false },
    ],
    [
      'a 400',
      { kind: 'status', status: 400, vendorCode: 'unknown_kid' },
      { code: 'GW_ERR_PROCESSOR_REJECTED', retryable: false },
    ],
    ['a 401', { kind: 'status', status: 401 }, { code: 'GW_ERR_PROCESSOR_REJECTED', retryable: false }],
    ['a 403', { kind: 'status', status: 403 }, { code: 'GW_ERR_PROCESSOR_REJECTED', retryable: false }],
    ['a 404', { kind: 'status', status: 404 }, { code: 'GW_ERR_PROCESSOR_REJECTED', retryable: false }],
    ['a 408', { kind: 'status', status: 408 }, { code: 'GW_ERR_PROCESSOR_TIMEOUT', retryable: true }],
    [
      'a 409 in progress',
      { kind: 'status', status: 409, vendorCode: 'lock_timeout' },
      { code: 'GW_ERR_PROCESSOR_REJECTED', retryable: true },
    ],
    [
      'a 409 from Stripe while the same idempotency key is still being worked on',
      { kind: 'status', status: 409, vendorCode: 'idempotency_key_in_use' },
      { code: 'GW_ERR_PROCESSOR_REJECTED', retryable: true },
    ],
    [
      'a 409 conflict',
      { kind: 'status', status: 409, vendorCode: 'resource_already_exists' },
      { code: 'GW_ERR_PROCESSOR_REJECTED', retryable: false },
    ],
    [
      'a 422 key reuse',
      { kind: 'status', status: 422, vendorType: 'idempotency_error', vendorCode: 'idempotency_key_reused' },
      { code: 'GW_ERR_PROCESSOR_REJECTED', retryable: false },
    ],
    [
      'a 429',
      { kind: 'status', status: 429, vendorCode: 'rate_limit' },
      { code: 'GW_ERR_PROCESSOR_RATE_LIMITED', retryable: true },
    ],
    [
      'a 500',
      { kind: 'status', status: 500, vendorType: 'api_error' },
      { code: 'GW_ERR_PROCESSOR_UNAVAILABLE', retryable: true },
    ],
    ['a 502', { kind: 'status', status: 502 }, { code: 'GW_ERR_PROCESSOR_UNAVAILABLE', retryable: true }],
    ['a 503', { kind: 'status', status: 503 }, { code: 'GW_ERR_PROCESSOR_UNAVAILABLE', retryable: true }],
    ['a 302', { kind: 'status', status: 302 }, { code: 'GW_ERR_PROCESSOR_PROTOCOL', retryable: false }],
    [
      'an unreadable reply',
      { kind: 'malformed', what: 'token reply' },
      { code: 'GW_ERR_PROCESSOR_PROTOCOL', retryable: false },
    ],
  ])('%s', (_name, failure, expected) => {
    expect(outcomeOf(classifyFailure(failure, 'test'))).toEqual(expected);
  });

  it('gives a fixed reason for a decline, never the processor text', () => {
    expect(
      classifyFailure(
        { kind: 'status', status: 402, vendorType: 'card_error', declineCode: 'insufficient_funds' },
        'p',
      ),
    ).toEqual({
      outcome: 'declined',
      declineCode: 'insufficient_funds',
      reason: 'The card has insufficient funds.',
    });
    expect(
      classifyFailure(
        { kind: 'status', status: 402, vendorType: 'card_error', declineCode: 'weird_new_code' },
        'p',
      ),
    ).toMatchObject({
      declineCode: 'weird_new_code',
      reason: 'The card was declined.',
    });
  });

  it('never repeats a vendor code that carries digits or odd characters', () => {
    const sneaky = '4242424242424242';
    const error = classifyFailure({ kind: 'status', status: 400, vendorCode: sneaky }, 'p') as GatewayError;
    expect(error.message).not.toContain(sneaky);
    const decline = classifyFailure(
      { kind: 'status', status: 402, vendorType: 'card_error', declineCode: `x${sneaky}` },
      'p',
    );
    expect(JSON.stringify(decline)).not.toContain(sneaky);
    expect(safeVendorCode('card declined <b>')).toBeUndefined();
    expect(safeVendorCode('insufficient_funds')).toBe('insufficient_funds');
  });
});

describe('mapProcessorReply', () => {
  const ok = JSON.stringify({
    token: 'tok_abc',
    last4: '4242',
    brand: 'visa',
    chargeId: 'ch_1',
    confirmationCode: 'AB12CD',
  });

  it('reads a token reply', () => {
    expect(mapProcessorReply({ status: 200, body: ok }, 'p')).toEqual({
      outcome: 'success',
      token: 'tok_abc',
      last4: '4242',
      brand: 'visa',
      chargeId: 'ch_1',
      confirmationCode: 'AB12CD',
    });
    expect(
      mapProcessorReply({ status: 200, body: JSON.stringify({ token: 't', last4: '0005', extra: 1 }) }, 'p'),
    ).toEqual({
      outcome: 'success',
      token: 't',
      last4: '0005',
    });
  });

  it('reads a decline as a result', () => {
    const body = JSON.stringify({
      error: { type: 'card_error', code: 'card_declined', declineCode: 'insufficient_funds' },
    });
    expect(mapProcessorReply({ status: 402, body }, 'p')).toMatchObject({
      outcome: 'declined',
      declineCode: 'insufficient_funds',
    });
  });

  it.each([
    ['not JSON', 200, 'not json {', 'GW_ERR_PROCESSOR_PROTOCOL'],
    ['a token reply without last4', 200, JSON.stringify({ token: 't' }), 'GW_ERR_PROCESSOR_PROTOCOL'],
    [
      'a token that looks like a card number',
      200,
      JSON.stringify({ token: 'tok_4242424242424242', last4: '4242' }),
      'GW_ERR_PROCESSOR_PROTOCOL',
    ],
    ['an HTML 502 from a proxy', 502, '<html>bad gateway</html>', 'GW_ERR_PROCESSOR_UNAVAILABLE'],
    [
      'a 500 error body',
      500,
      JSON.stringify({ error: { type: 'api_error', code: 'processing_error' } }),
      'GW_ERR_PROCESSOR_UNAVAILABLE',
    ],
    [
      'a 400 unknown kid',
      400,
      JSON.stringify({ error: { type: 'invalid_request_error', code: 'unknown_kid' } }),
      'GW_ERR_PROCESSOR_REJECTED',
    ],
  ])('maps %s to %s', (_name, status, body, code) => {
    expect(() => mapProcessorReply({ status, body }, 'p')).toThrowError(expect.objectContaining({ code }));
  });

  it('names the vendor code but never quotes the body', () => {
    const body = JSON.stringify({ error: { code: 'unknown_kid', message: 'card 4242424242424242 bad' } });
    try {
      mapProcessorReply({ status: 400, body }, 'sandbox');
      expect.unreachable();
    } catch (error) {
      expect((error as GatewayError).message).toBe(
        'processor "sandbox" answered HTTP 400 (vendor code "unknown_kid")',
      );
    }
  });
});

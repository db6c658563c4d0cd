import { describe, expect, it } from 'vitest';
import { checkCallbackUrl } from '../../src/adapters/webhooks/callback-url-policy.js';

describe('checkCallbackUrl', () => {
  it.each([
    ['https://crm.example.com/hooks/pay', undefined],
    ['http://127.0.0.1:9000/hook', undefined],
    ['http://localhost/hook', undefined],
    ['http://[::1]:9000/hook', undefined],
    ['https://crm.example.com/hook', ['crm.example.com']],
  ])('accepts %s', (url, hosts) => {
    expect(() => checkCallbackUrl(url, hosts)).not.toThrow();
  });

  it.each([
    ['plain http beyond loopback', 'http://crm.example.com/hook', undefined],
    ['plain http to a private address', 'http://10.0.0.5/hook', undefined],
    ['credentials in the URL', 'https://user:secret@crm.example.com/hook', undefined],
    ['a host outside the allow-list', 'https://attacker.example.net/hook', ['crm.example.com']],
    ['loopback when an allow-list is set', 'http://127.0.0.1/hook', ['crm.example.com']],
    ['not a URL', 'crm', undefined],
  ])('refuses %s with GW_ERR_INVALID_BODY, not echoing the URL', (_name, url, hosts) => {
    let message = '';
    try {
      checkCallbackUrl(url, hosts);
    } catch (error) {
      expect(error).toMatchObject({ code: 'GW_ERR_INVALID_BODY' });
      message = (error as Error).message;
    }
    expect(message).toContain('statusCallback');
    expect(message).not.toContain('secret');
  });
});

import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../src/adapters/webhooks/address-class.js';
import {
  allowList,
  checkCallbackUrl,
  refusedAddress,
  urlHost,
} from '../../src/adapters/webhooks/callback-url-policy.js';

describe('classifyAddress', () => {
  it.each([
    ['93.184.216.34', 'public'],
    ['8.8.8.8', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:0001', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.254', 'private'],
    ['::ffff:10.1.2.3', 'private'],
    ['fd00::1', 'private'],
    ['fc00::1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['fd00:0ec2:0000::0254', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['::7f00:1', 'reserved'],
    ['crm.example.com', 'invalid'],
    ['1.2.3', 'invalid'],
    ['127.1', 'invalid'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

describe('urlHost: the tricks new URL normalises are compared in its form', () => {
  it.each([
    ['2130706433', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['0xa9.0xfe.0xa9.0xfe', '169.254.169.254'],
    ['CRM.Example.COM', 'crm.example.com'],
    ['::1', '[::1]'],
    ['[::FFFF:127.0.0.1]', '[::ffff:7f00:1]'],
  ])('%s → %s', (entry, host) => {
    expect(urlHost(entry)).toBe(host);
  });
});

describe('checkCallbackUrl', () => {
  it.each([
    ['https://crm.example.com/hooks/pay', ['crm.example.com']],
    ['https://CRM.example.com:8443/hook?x=1', ['crm.example.com']],
    ['http://127.0.0.1:9000/hook', ['127.0.0.1']],
    ['http://2130706433:9000/hook', ['127.0.0.1']],
    ['http://[::1]:9000/hook', ['::1']],
    ['https://10.0.0.5/hook', ['10.0.0.5']],
    ['https://[fd00::1]/hook', ['fd00::1']],
    ['https://93.184.216.34/hook', ['93.184.216.34']],
  ])('accepts %s with the allow-list %j (loopback on: development and tests)', (url, hosts) => {
    expect(() => checkCallbackUrl(url, allowList(hosts, { loopback: true }))).not.toThrow();
  });

  it.each([
    ['http://127.0.0.1:9000/hook', ['127.0.0.1']],
    ['http://2130706433:9000/hook', ['127.0.0.1']],
    ['https://127.0.0.1:5060/', ['127.0.0.1']],
    ['http://[::1]:9000/hook', ['::1']],
    ['https://[::ffff:127.0.0.1]/', ['::ffff:127.0.0.1']],
  ])('refuses loopback %s even when %j names it, with TONEWALL_WEBHOOK_LOOPBACK off (the default)', (url, hosts) => {
    expect(() => checkCallbackUrl(url, allowList(hosts))).toThrow(
      expect.objectContaining({
        code: 'GW_ERR_INVALID_BODY',
        message: expect.stringMatching(/loopback address/),
      }),
    );
    expect(refusedAddress(hosts[0] ?? '', allowList(hosts))).toBe('loopback');
    expect(refusedAddress(hosts[0] ?? '', allowList(hosts, { loopback: true }))).toBeUndefined();
  });

  it.each([
    ['plain http beyond loopback', 'http://crm.example.com/hook', ['crm.example.com']],
    ['plain http to a private address', 'http://10.0.0.5/hook', ['10.0.0.5']],
    ['plain http to localhost (a name)', 'http://localhost/hook', ['localhost']],
    ['credentials in the URL', 'https://user:secret@crm.example.com/hook', ['crm.example.com']],
    ['a host outside the allow-list', 'https://attacker.example.net/hook', ['crm.example.com']],
    ['an empty allow-list', 'https://crm.example.com/hook', []],
    ['loopback not named by address', 'http://127.0.0.1/hook', ['crm.example.com']],
    ['another loopback address', 'http://127.0.0.2/hook', ['127.0.0.1']],
    ['loopback as a decimal number', 'http://2130706433/hook', ['crm.example.com']],
    ['cloud metadata, even when listed', 'https://169.254.169.254/latest', ['169.254.169.254']],
    ['metadata written in hex', 'https://0xa9.0xfe.0xa9.0xfe/latest', ['169.254.169.254']],
    ['AWS IPv6 metadata, even when listed', 'https://[fd00:ec2::254]/', ['fd00:ec2::254']],
    ['Alibaba metadata, even when listed', 'https://100.100.100.200/', ['100.100.100.200']],
    ['link-local, even when listed', 'https://[fe80::1]/', ['fe80::1']],
    ['unspecified, even when listed', 'https://0.0.0.0/', ['0.0.0.0']],
    ['multicast, even when listed', 'https://224.0.0.1/', ['224.0.0.1']],
    ['IPv4-mapped loopback when 127.0.0.1 is named', 'https://[::ffff:127.0.0.1]/', ['127.0.0.1']],
    ['not a URL', 'crm', ['crm']],
    ['a card number in the query', 'https://crm.example.com/hook?pan=4242424242424242', ['crm.example.com']],
    [
      'a card number in the path, grouped',
      'https://crm.example.com/4242-4242-4242-4242',
      ['crm.example.com'],
    ],
    [
      'a card number percent-encoded',
      `https://crm.example.com/h?p=${'%34%32'.repeat(8)}`,
      ['crm.example.com'],
    ],
  ])('refuses %s with GW_ERR_INVALID_BODY, not echoing the URL', (_name, url, hosts) => {
    let thrown: unknown;
    try {
      checkCallbackUrl(url, allowList(hosts));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'GW_ERR_INVALID_BODY' });
    const message = (thrown as Error).message;
    expect(message).toContain('statusCallback');
    expect(message).not.toContain('secret');
    expect(message).not.toContain('example');
    expect(message).not.toMatch(/4242/);
  });
});

/**
 * The start-up check of key and certificate files (src/config/key-files.ts) on a real development
 * key set: a missing, unreadable or wrong file is a GW_ERR_CONFIG that names the setting, never the
 * path or the contents.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { checkKeyFiles, keyFilesOf } from '../../src/config/key-files.js';
import { type DevKeySet, makeDevKeys } from './processors/support.js';

let keys: DevKeySet;

beforeAll(() => {
  keys = makeDevKeys(1);
  writeFileSync(join(keys.dir, 'garbage.pem'), '-----BEGIN CERTIFICATE-----\nnot base64 at all\n');
  mkdirSync(join(keys.dir, 'a-directory'));
});

afterAll(() => keys?.remove());

function config(env: Record<string, string> = {}) {
  return loadConfig({ TONEWALL_KEYS_DIR: keys.dir, ...env });
}

async function problem(env: Record<string, string>): Promise<{ code: string; message: string }> {
  return checkKeyFiles(config(env)).then(
    () => ({ code: 'none', message: '' }),
    (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
  );
}

describe('checkKeyFiles', () => {
  it('passes the development key set', async () => {
    await expect(checkKeyFiles(config())).resolves.toBeUndefined();
  });

  it('covers the processor files (not with Stripe) and the HTTPS pair when set', () => {
    expect(keyFilesOf(config()).map((file) => file.setting)).toEqual([
      'TONEWALL_AUDIT_KEY',
      'TONEWALL_PROCESSOR_ENCRYPTION_CERT',
      'TONEWALL_PROCESSOR_CLIENT_CERT',
      'TONEWALL_PROCESSOR_CLIENT_KEY',
      'TONEWALL_PROCESSOR_CA',
    ]);
    const stripe = config({
      TONEWALL_PROCESSOR: 'stripe',
      TONEWALL_STRIPE_SECRET_KEY: 'sk_test_abcdefgh12345678',
    });
    expect(keyFilesOf(stripe).map((file) => file.setting)).toEqual(['TONEWALL_AUDIT_KEY']);
    const https = config({
      TONEWALL_HTTP_TLS_CERT: 'sandbox-server.pem',
      TONEWALL_HTTP_TLS_KEY: 'sandbox-server.key',
    });
    expect(
      keyFilesOf(https)
        .map((file) => file.setting)
        .slice(-2),
    ).toEqual(['TONEWALL_HTTP_TLS_CERT', 'TONEWALL_HTTP_TLS_KEY']);
  });

  it.each([
    ['TONEWALL_PROCESSOR_CLIENT_KEY', 'missing-client.key', 'cannot be read (ENOENT)'],
    ['TONEWALL_PROCESSOR_CA', 'a-directory', 'cannot be read (EISDIR)'],
    ['TONEWALL_PROCESSOR_ENCRYPTION_CERT', 'garbage.pem', 'does not hold a PEM certificate'],
    ['TONEWALL_PROCESSOR_CLIENT_CERT', 'gateway-client.key', 'does not hold a PEM certificate'],
    ['TONEWALL_PROCESSOR_CLIENT_KEY', 'ca.pem', 'does not hold a PEM private key'],
    ['TONEWALL_AUDIT_KEY', 'gateway-client.key', 'does not hold an Ed25519 private key'],
  ])('%s = %s: GW_ERR_CONFIG "%s", naming the setting only', async (setting, file, why) => {
    const { code, message } = await problem({ [setting]: file });
    expect(code).toBe('GW_ERR_CONFIG');
    expect(message).toBe(`invalid configuration: ${setting}: ${why}`);
    expect(message).not.toContain(file);
    expect(message).not.toContain(keys.dir);
  });

  it('names every bad file at once', async () => {
    const { message } = await problem({
      TONEWALL_AUDIT_KEY: 'nothing-here.key',
      TONEWALL_HTTP_TLS_CERT: 'nothing-here.pem',
      TONEWALL_HTTP_TLS_KEY: 'sandbox-server.key',
    });
    expect(message).toBe(
      'invalid configuration: TONEWALL_AUDIT_KEY: cannot be read (ENOENT); TONEWALL_HTTP_TLS_CERT: cannot be read (ENOENT)',
    );
  });
});

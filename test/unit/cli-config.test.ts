// `./scripts/tonewall config` and `config check` (issue 15, item 4), run as ./scripts/tonewall runs
// them (scripts/config.ts under tsx): the effective settings with secrets masked, and the gateway's
// start-up checks without starting anything. Their --help and usage errors: cli.test.ts and
// cli-entry-points.test.ts.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  effectiveSettings,
  formatEffectiveSettings,
  SECRET_MASK,
} from '../../src/config/effective-settings.js';
import { type Run, runCaptured } from '../support/run-captured.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TIMEOUT_MS = 60_000;
const API_KEY = 'a-development-key-0123456789';

/** scripts/config.ts with only `env`'s TONEWALL_* settings (none of the caller's). */
function config(args: string[], env: Record<string, string>): Promise<Run> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TONEWALL_')),
  );
  return runCaptured(process.execPath, ['--import', 'tsx', join('scripts', 'config.ts'), ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    timeoutMs: TIMEOUT_MS,
  });
}

/** A keys folder holding only the audit signing key: all a Stripe configuration's start-up reads. */
function auditKeyOnly(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tonewall-config-keys-'));
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(join(dir, 'audit-signing.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return dir;
}

describe('effectiveSettings', () => {
  it('shows the environment, else the default, else unset; secrets and bad values masked', () => {
    const rows = effectiveSettings({
      TONEWALL_HTTP_PORT: '9090',
      TONEWALL_API_KEY: API_KEY,
      TONEWALL_NG_PORT: 'sk_live_pasted_here',
      TONEWALL_LOG_LEVEL: '',
    });
    const row = (name: string) => rows.find((setting) => setting.name === name);
    expect(row('TONEWALL_HTTP_PORT')).toEqual({
      name: 'TONEWALL_HTTP_PORT',
      value: '9090',
      from: 'environment',
    });
    expect(row('TONEWALL_API_KEY')).toMatchObject({ value: SECRET_MASK, from: 'environment' });
    expect(row('TONEWALL_NG_PORT')).toMatchObject({ value: '(invalid)', from: 'environment' });
    expect(row('TONEWALL_LOG_LEVEL')).toMatchObject({ value: 'info', from: 'default' });
    expect(row('TONEWALL_RTPE_THREADS')).toMatchObject({
      value: '(cores − 1 (at least 1))',
      from: 'default',
    });
    expect(row('TONEWALL_WEBHOOK_SECRET')).toMatchObject({ value: '', from: 'unset' });
    const text = formatEffectiveSettings(rows);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain('sk_live');
  });
});

describe.concurrent('./scripts/tonewall config', () => {
  it('prints every setting, secrets masked, exit 0; the prompt settings are settings', {
    timeout: TIMEOUT_MS,
  }, async () => {
    const result = await config([], {
      TONEWALL_API_KEY: API_KEY,
      TONEWALL_PROMPTS: 'off',
      TONEWALL_PROMPT_VOICE: 'en-us',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain(API_KEY);
    expect(result.stdout).toMatch(/^TONEWALL_API_KEY +\*{8} +environment$/m);
    expect(result.stdout).toMatch(/^TONEWALL_PROMPTS +off +environment$/m);
    expect(result.stdout).toMatch(/^TONEWALL_PROMPT_VOICE +en-us +environment$/m);
    expect(result.stdout).toMatch(/^TONEWALL_HTTP_PORT +8080 +default$/m);
    expect(result.stdout.trim().split('\n').length).toBeGreaterThan(90);
  });

  it('prints the settings and names the bad ones (never their values), exit 1', {
    timeout: TIMEOUT_MS,
  }, async () => {
    const result = await config([], { TONEWALL_HTTP_PORT: 'eighty', TONEWALL_HTTP_PROT: '1' });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^TONEWALL_HTTP_PORT +\(invalid\) +environment$/m);
    expect(result.stderr).toMatch(/TONEWALL_HTTP_PORT/);
    expect(result.stderr).toMatch(/unknown setting\(s\) TONEWALL_HTTP_PROT/);
    expect(result.stderr + result.stdout).not.toContain('eighty');
  });

  it('check: exit 0 when the gateway would start, nothing started', { timeout: TIMEOUT_MS }, async () => {
    const result = await config(['check'], {
      TONEWALL_KEYS_DIR: auditKeyOnly(),
      TONEWALL_PROCESSOR: 'stripe',
      TONEWALL_STRIPE_SECRET_KEY: 'sk_test_0123456789abcdef',
      TONEWALL_PROMPTS: 'off',
      TONEWALL_PROMPT_VOICE: 'en-gb',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('tonewall: configuration ok (values, key and certificate files)\n');
    expect(result.status).toBe(0);
  });

  it('check: exit 1 naming bad values and unreadable key files', { timeout: TIMEOUT_MS }, async () => {
    const [values, files] = await Promise.all([
      config(['check'], { TONEWALL_DLG_KEEPALIVE: '10', TONEWALL_STRIPE_SECRET_KEY: 'pk_test_nope1234' }),
      config(['check'], { TONEWALL_KEYS_DIR: mkdtempSync(join(tmpdir(), 'tonewall-config-empty-')) }),
    ]);
    expect(values.status).toBe(1);
    expect(values.stdout).toBe('');
    expect(values.stderr).toMatch(/TONEWALL_DLG_KEEPALIVE: must be 0 \(off\) or 30 or more/);
    expect(values.stderr).toMatch(/TONEWALL_STRIPE_SECRET_KEY/);
    expect(values.stderr).not.toContain('pk_test_nope1234');
    expect(files.status).toBe(1);
    expect(files.stderr).toMatch(/TONEWALL_AUDIT_KEY: cannot be read \(ENOENT\)/);
    expect(files.stderr).toMatch(/TONEWALL_PROCESSOR_CA: cannot be read/);
  });
});

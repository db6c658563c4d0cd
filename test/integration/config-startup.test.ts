/**
 * The deployed entry point (node dist/main.js) with a bad setting, or a key or certificate file that
 * is missing, unreadable or wrong: it stops before opening any socket, with exit code 78 (EX_CONFIG)
 * and one line on stderr that names the setting, not its value.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/stack.js';
import { TEST_KEYS_DIR, TEST_RUN_DIR } from '../support/test-run.js';

function runGateway(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'main.js')], {
      env: { PATH: process.env.PATH ?? '', TONEWALL_HTTP_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('node dist/main.js with an invalid setting', () => {
  it.each([
    ['TONEWALL_NG_PORT', '70000'],
    ['TONEWALL_PROCESSOR', 'paypal'],
    ['TONEWALL_WEBHOOK_SECRET', 'too-short-secret-value'],
    ['TONEWALL_PROCESSOR_BREAKER_FAILURES', '0'],
    ['TONEWALL_METRICS_TOKEN', 'short'],
    ['TONEWALL_HTTP_PORTT', '8080'],
    // plain HTTP off loopback, without TLS or a trusted TLS proxy (issue 16, item 6)
    ['TONEWALL_HTTP_HOST', '0.0.0.0'],
  ])('%s: exits 78 naming the setting', async (setting, value) => {
    const { code, stderr, stdout } = await runGateway({ [setting]: value });
    expect(code).toBe(78);
    expect(stderr).toMatch(/^tonewall: invalid configuration: /);
    expect(stderr).toContain(setting);
    expect(stderr).not.toContain(value);
    expect(stdout).toBe('');
  });

  it('a webhook secret without TONEWALL_WEBHOOK_HOSTS: exits 78, callbacks need their allow-list', async () => {
    const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    const { code, stderr } = await runGateway({ TONEWALL_WEBHOOK_SECRET: secret });
    expect(code).toBe(78);
    expect(stderr).toBe(
      'tonewall: invalid configuration: TONEWALL_WEBHOOK_HOSTS: is required when TONEWALL_WEBHOOK_SECRET is set (the hosts status callbacks may go to)\n',
    );
  });
});

describe('node dist/main.js with a key or certificate file it cannot use', () => {
  const broken = join(TEST_RUN_DIR, 'broken-keys');
  beforeAll(() => {
    mkdirSync(join(broken, 'a-directory'), { recursive: true });
    writeFileSync(join(broken, 'not-a-certificate.pem'), 'this is not PEM\n');
  });

  it.each([
    ['TONEWALL_PROCESSOR_CLIENT_KEY', join(broken, 'missing-client.key'), 'cannot be read (ENOENT)'],
    ['TONEWALL_AUDIT_KEY', join(broken, 'missing-audit.key'), 'cannot be read (ENOENT)'],
    ['TONEWALL_PROCESSOR_CA', join(broken, 'a-directory'), 'cannot be read (EISDIR)'],
    [
      'TONEWALL_PROCESSOR_CLIENT_CERT',
      join(broken, 'not-a-certificate.pem'),
      'does not hold a PEM certificate',
    ],
  ])('%s: exits 78 naming the setting and why, not the path', async (setting, path, why) => {
    // the run's development keys for everything else, so only this one setting is wrong
    const { code, stderr, stdout } = await runGateway({ TONEWALL_KEYS_DIR: TEST_KEYS_DIR, [setting]: path });
    expect(code).toBe(78);
    expect(stderr).toBe(`tonewall: invalid configuration: ${setting}: ${why}\n`);
    expect(stderr).not.toContain(broken);
    expect(stdout).toBe('');
  });
});

describe('node dist/main.js when another process holds its DTMF report port', () => {
  it('refuses to start (a local process there would receive the customers’ digits)', async () => {
    // a squatter on the port rtpengine sends digit reports to
    const squatter = createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(0, '127.0.0.1', resolve));
    const port = squatter.address().port;
    try {
      const { code, stderr } = await runGateway({
        TONEWALL_KEYS_DIR: TEST_KEYS_DIR,
        TONEWALL_RUN_NAME: 'config-startup',
        TONEWALL_DTMF_LOG_DEST: `127.0.0.1:${port}`,
        TONEWALL_MASK_DTMF_LOG_DEST: `127.0.0.1:${port === 65_535 ? port - 1 : port + 1}`,
      });
      expect(code).toBe(1);
      expect(stderr).toMatch(/^tonewall: start-up failed: GW_ERR_DTMF_SOCKET /);
    } finally {
      squatter.close();
    }
  });
});

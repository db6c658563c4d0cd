/**
 * The integration run's places and the settings every gateway started by a test gets, so that
 * whatever it writes (logs, the audit log) stays in .run/test and it uses the run's own keys.
 */
import { join } from 'node:path';
import { REPO_ROOT, TEST_RUN_NAME } from './stack.js';

export const TEST_RUN_DIR = join(REPO_ROOT, '.run', TEST_RUN_NAME);
/** Development keys made by global-setup (scripts/keys.ts): sandbox connector, audit signing. */
export const TEST_KEYS_DIR = join(TEST_RUN_DIR, 'keys');
/**
 * Where the suite's stack reports keys (scripts/lib/stack.sh's defaults): the edge's RFC 4733 reports
 * and the mask hop's in-band ones, on privileged ports.
 */
export const DTMF_REPORT_PORT = 999;
export const DTMF_TONES_PORT = 998;
/** The integration key the test gateways accept (`Authorization: Bearer …`). */
export const TEST_API_KEY = 'tonewall-integration-test-key-abcd';

/**
 * TONEWALL_* settings for a test gateway: this run, its keys, the API key, trace logs, status
 * callbacks allowed to 127.0.0.1 (the test receivers, reached with TONEWALL_WEBHOOK_LOOPBACK on; used
 * when a test sets a webhook secret); `extra` wins.
 */
export function testGatewayEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    TONEWALL_ROOT: REPO_ROOT,
    TONEWALL_RUN_NAME: TEST_RUN_NAME,
    TONEWALL_KEYS_DIR: TEST_KEYS_DIR,
    TONEWALL_API_KEY: TEST_API_KEY,
    TONEWALL_LOG_LEVEL: 'trace',
    TONEWALL_WEBHOOK_HOSTS: '127.0.0.1',
    TONEWALL_WEBHOOK_LOOPBACK: 'on',
    ...extra,
  };
}

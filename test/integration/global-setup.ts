import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateDevKeys } from '../../scripts/keys.js';
import type { StackHandle } from '../support/stack.js';
import { REPO_ROOT, StackError, startStack } from '../support/stack.js';
import { TEST_KEYS_DIR } from '../support/test-run.js';

/**
 * vitest globalSetup of the integration project: installs what is missing, starts one Kamailio +
 * rtpengine for the whole run in .run/test, makes the keys the gateway needs, and stops the stack
 * afterwards. A missing or failing component fails the run (it throws); integration tests are never
 * skipped. The spawned-gateway tests run dist/main.js: `npm run build` first (`./scripts/tonewall test`
 * does).
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (!existsSync(join(REPO_ROOT, 'dist', 'main.js'))) {
    throw new StackError('dist/main.js is missing: run `npm run build` before the integration tests');
  }
  generateDevKeys({ dir: TEST_KEYS_DIR });
  const stack: StackHandle = await startStack({ install: true });
  return async () => {
    await stack.stop();
  };
}

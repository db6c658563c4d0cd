import type { StackHandle } from '../support/stack.js';
import { startStack } from '../support/stack.js';

/**
 * vitest globalSetup: installs what is missing, starts one Kamailio + rtpengine for the whole run
 * in .run/test, and stops it afterwards. A missing or failing component fails the run (it throws);
 * integration tests are never skipped.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const stack: StackHandle = await startStack({ install: true });
  return async () => {
    await stack.stop();
  };
}

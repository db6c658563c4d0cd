/**
 * The gateway's Node flags live in one file, scripts/lib/gateway-node-flags: scripts/lib/services.sh
 * and test/support/gateway-process.ts (the tests, the bench) read it; the Dockerfile's CMD cannot, so
 * this test holds it to the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATEWAY_NODE_FLAGS } from '../support/gateway-process.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the gateway Node flags', () => {
  it('are read from scripts/lib/gateway-node-flags', () => {
    expect(GATEWAY_NODE_FLAGS).toEqual(['--max-semi-space-size=4']);
    expect(readFileSync(join(ROOT, 'scripts', 'lib', 'services.sh'), 'utf8')).toContain(
      'read -r -a GATEWAY_NODE_FLAGS <"$TONEWALL_ROOT/scripts/lib/gateway-node-flags"',
    );
  });

  it("are the Dockerfile CMD's", () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const cmd = /^CMD \["node", (.*), "dist\/main\.js"\]$/m.exec(dockerfile)?.[1];
    expect(cmd?.split(', ').map((flag) => JSON.parse(flag) as string)).toEqual([...GATEWAY_NODE_FLAGS]);
  });
});

/**
 * Issue 16, item 5 (part): what the scripts write is readable by its owner only — the stack's logs
 * and generated configuration (umask 077 in scripts/lib/stack.sh) and the key folder (0700,
 * scripts/keys.ts) — and the rtpengines listen on no CLI port (scripts/lib/stack.sh opens one only
 * when TONEWALL_*CLI_PORT asks; the suite's stack asks for the edge's alone, test/support/stack.ts).
 */
import { readdirSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_KEYS_DIR, TEST_RUN_DIR } from '../support/test-run.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

describe('files and control ports of the stack', () => {
  it("the stack's logs and generated files are its owner's only; the key folder is 0700", () => {
    const written = readdirSync(TEST_RUN_DIR)
      .filter((name) => /^(kamailio|rtpengine)/.test(name))
      .map((name) => join(TEST_RUN_DIR, name));
    expect(written.length).toBeGreaterThanOrEqual(4); // kamailio.log (and .cfg), three rtpengine logs
    expect(modeOf(TEST_RUN_DIR) & 0o077).toBe(0);
    for (const path of written) expect(modeOf(path) & 0o077, path).toBe(0);
    expect(modeOf(TEST_KEYS_DIR)).toBe(0o700);
  });

  it('the mask and mute hops have no CLI listener (their old ports 2226 and 2228 refuse)', async () => {
    expect(await refused(2226)).toBe(true);
    expect(await refused(2228)).toBe(true);
    // the suite's edge CLI does answer: the probe can tell a listener from none
    expect(await refused(2224)).toBe(false);
  });
});

/**
 * Issue 16, item 5: the local trust boundary of the stack the scripts start. What they write is
 * readable by its owner only — the stack's logs and generated configuration (umask 077 in
 * scripts/lib/stack.sh) and the key folder (0700, scripts/keys.ts); the rtpengines listen on no CLI
 * port (one opens only when TONEWALL_*CLI_PORT asks; the suite's stack asks for the edge's alone,
 * test/support/stack.ts); and another local user (`nobody`, through runuser) cannot reach rtpengine's
 * NG, Kamailio's JSON-RPC or the DTMF report port, which this test's own user (the stack's) can
 * (scripts/lib/stack-firewall.sh: nftables owner match).
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readdirSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DTMF_REPORT_PORT, DTMF_TONES_PORT, TEST_KEYS_DIR, TEST_RUN_DIR } from '../support/test-run.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Runs a small node program as `user` (root runs it as itself); resolves with what it printed. */
function nodeAs(user: string | undefined, program: string): Promise<string> {
  const [command, args] = user
    ? ['runuser', ['-u', user, '--', process.execPath, '-e', program]]
    : [process.execPath, ['-e', program]];
  return new Promise((resolve, reject) => {
    execFile(command, args as string[], { timeout: 15_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout.trim()),
    );
  });
}

/** Sends an NG `ping` to the edge rtpengine and prints its answer, or `none` after 1.5 s. */
const NG_PING = `
const s = require('node:dgram').createSocket('udp4');
s.on('message', (m) => { console.log(m.toString().includes('pong') ? 'pong' : 'other'); process.exit(0); });
s.send('probe1 d7:command4:pinge', 2223, '127.0.0.1');
setTimeout(() => { console.log('none'); process.exit(0); }, 1500);`;

/** Opens a TCP connection to Kamailio's JSON-RPC port: prints \`open\` or \`none\` after 1.5 s. */
const RPC_CONNECT = `
const c = require('node:net').connect(5071, '127.0.0.1', () => { console.log('open'); process.exit(0); });
c.on('error', () => { console.log('none'); process.exit(0); });
setTimeout(() => { console.log('none'); process.exit(0); }, 1500);`;

/** Sends one datagram to the DTMF report port. */
const DTMF_SEND = (tag: string) => `
const s = require('node:dgram').createSocket('udp4');
s.send('${tag}', ${DTMF_REPORT_PORT}, '127.0.0.1', () => { console.log('sent'); s.close(); });`;

/** Binds the DTMF report port (as a rogue listener would): prints \`bound\` or the error's code. */
const DTMF_BIND = (port: number) => `
const s = require('node:dgram').createSocket('udp4');
s.on('error', (e) => { console.log(e.code); process.exit(0); });
s.bind(${port}, '127.0.0.1', () => { console.log('bound'); s.close(); });`;

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

  it("another local user reaches none of the control planes; the stack's own user does", async () => {
    expect(await nodeAs(undefined, NG_PING)).toBe('pong');
    expect(await nodeAs('nobody', NG_PING)).toBe('none');
    expect(await nodeAs(undefined, RPC_CONNECT)).toBe('open');
    expect(await nodeAs('nobody', RPC_CONNECT)).toBe('none');
    // no gateway runs in this file: the DTMF report port is this test's to listen on
    const heard: string[] = [];
    const listener = createSocket('udp4');
    listener.on('message', (message) => heard.push(message.toString()));
    await new Promise<void>((resolve) => listener.bind(DTMF_REPORT_PORT, '127.0.0.1', resolve));
    try {
      expect(await nodeAs('nobody', DTMF_SEND('from-nobody'))).toBe('sent');
      expect(await nodeAs(undefined, DTMF_SEND('from-the-stack-user'))).toBe('sent');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard).toEqual(['from-the-stack-user']);
    } finally {
      listener.close();
    }
  });

  it('no other local user can take the DTMF report ports, gateway running or not: they are privileged', async () => {
    // no gateway runs in this file, so the ports are free: the stack's user (root) can bind them
    for (const port of [DTMF_REPORT_PORT, DTMF_TONES_PORT]) {
      expect(await nodeAs('nobody', DTMF_BIND(port)), String(port)).toBe('EACCES');
      expect(await nodeAs(undefined, DTMF_BIND(port)), String(port)).toBe('bound');
    }
  });

  it('the mask and mute hops have no CLI listener (their old ports 2226 and 2228 refuse)', async () => {
    expect(await refused(2226)).toBe(true);
    expect(await refused(2228)).toBe(true);
    // the suite's edge CLI does answer: the probe can tell a listener from none
    expect(await refused(2224)).toBe(false);
  });
});

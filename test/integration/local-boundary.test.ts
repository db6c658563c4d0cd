/**
 * Issue 16, item 5: the local trust boundary of the stack the scripts start. What they write is
 * readable by its owner only — the stack's logs and generated configuration (umask 077 in
 * scripts/lib/stack.sh) and the key folder (0700, scripts/keys.ts); the rtpengines listen on no CLI
 * port (one opens only when TONEWALL_*CLI_PORT asks; the suite's stack asks for the edge's alone,
 * test/support/stack.ts); and another local user (`nobody`, through runuser) cannot reach the three
 * rtpengines' NG ports, Kamailio's JSON-RPC and evapi, or the two DTMF report ports, which this
 * test's own user (the stack's) can (scripts/lib/stack-firewall.sh: nftables owner match) — and can
 * once the firewall's table is removed (the control).
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readdirSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_RUN_NAME } from '../support/stack.js';
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

/** The NG ports of the three rtpengines: edge, mask hop, mute hop. */
const NG_PORTS = [2223, 2225, 2227];
/** Kamailio's JSON-RPC and evapi (TCP). */
const RPC_PORT = 5071;
const EVAPI_PORT = 8448;

/** Sends an NG `ping` to the rtpengine on `port` and prints its answer, or `none` after 1.5 s. */
const NG_PING = (port: number) => `
const s = require('node:dgram').createSocket('udp4');
s.on('message', (m) => { console.log(m.toString().includes('pong') ? 'pong' : 'other'); process.exit(0); });
s.send('probe1 d7:command4:pinge', ${port}, '127.0.0.1');
setTimeout(() => { console.log('none'); process.exit(0); }, 1500);`;

/** Opens a TCP connection to \`port\`: prints \`open\` or \`none\` after 1.5 s. */
const TCP_CONNECT = (port: number) => `
const c = require('node:net').connect(${port}, '127.0.0.1', () => { console.log('open'); process.exit(0); });
c.on('error', () => { console.log('none'); process.exit(0); });
setTimeout(() => { console.log('none'); process.exit(0); }, 1500);`;

/** Sends one datagram to a DTMF report port. */
const DTMF_SEND = (tag: string, port: number) => `
const s = require('node:dgram').createSocket('udp4');
s.send('${tag}', ${port}, '127.0.0.1', () => { console.log('sent'); s.close(); });`;

/** Runs \`nft\` with \`args\`, or with \`input\` on its standard input (\`-f -\`). */
function nft(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'nft',
      input === undefined ? args : ['-f', '-'],
      { timeout: 10_000 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

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
    for (const port of NG_PORTS) {
      expect(await nodeAs(undefined, NG_PING(port)), `NG ${port}`).toBe('pong');
      expect(await nodeAs('nobody', NG_PING(port)), `NG ${port}`).toBe('none');
    }
    for (const port of [RPC_PORT, EVAPI_PORT]) {
      expect(await nodeAs(undefined, TCP_CONNECT(port)), `TCP ${port}`).toBe('open');
      expect(await nodeAs('nobody', TCP_CONNECT(port)), `TCP ${port}`).toBe('none');
    }
    // no gateway runs in this file: the DTMF report ports are this test's to listen on
    for (const port of [DTMF_REPORT_PORT, DTMF_TONES_PORT]) {
      const heard: string[] = [];
      const listener = createSocket('udp4');
      listener.on('message', (message) => heard.push(message.toString()));
      await new Promise<void>((resolve) => listener.bind(port, '127.0.0.1', resolve));
      try {
        expect(await nodeAs('nobody', DTMF_SEND('from-nobody', port))).toBe('sent');
        expect(await nodeAs(undefined, DTMF_SEND('from-the-stack-user', port))).toBe('sent');
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(heard, `DTMF ${port}`).toEqual(['from-the-stack-user']);
      } finally {
        listener.close();
      }
    }
  });

  it('the control: without the firewall table, the other user does reach them (the table is what stops it)', async () => {
    const table = `tonewall_${TEST_RUN_NAME.replace(/[^A-Za-z0-9_]/g, '_')}`;
    const saved = await nft(['list', 'table', 'inet', table]);
    expect(saved).toContain('meta skuid');
    await nft(['delete', 'table', 'inet', table]);
    try {
      expect(await nodeAs('nobody', NG_PING(2223))).toBe('pong');
      expect(await nodeAs('nobody', TCP_CONNECT(RPC_PORT))).toBe('open');
    } finally {
      await nft([], saved);
    }
    expect(await nodeAs('nobody', NG_PING(2223))).toBe('none');
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

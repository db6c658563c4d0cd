// The scripts/*.ts entry points (issue 15, item 5): each answers -h/--help with its usage on stdout
// (exit 0), names the same options as `./scripts/tonewall <command> --help`, and exits 2 on a usage
// error, 1 when a check fails, 0 when it passes; and the README's examples that need no running stack
// run here (users add/list, pan-scan, audit verify and report, make-tone-pcap). The help of ./scripts/tonewall itself, and that
// nothing it starts runs for --help: cli.test.ts.
//
// Each entry point runs as `./scripts/tonewall` runs it (tsx), in one node process; ./scripts/tonewall
// itself is not used for the runs because its first step may `npm ci` (node_modules older than the lock).
// Not run here, with why: up, down, status, demo, demo-call, test, bench, masking-check (they start or
// need the stack, or run for minutes); keys (RSA key generation takes seconds; scripts/keys.ts is
// exercised by the contract tests' generateDevKeys); the README's "A call by hand" but its
// make-tone-pcap line (SIPp, curl and a running stack); `docker compose up` (no Docker engine).
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entry, openLog } from '../contract/audit/support.js';
import { type Run, runCaptured } from '../support/run-captured.js';

const ROOT = resolve(import.meta.dirname, '../..');
const RUN_NAME = `cli-test-${process.pid}`;
// Generous: on a busy machine node with tsx takes seconds to start; the runs overlap, a few at a time.
const TIMEOUT_MS = 90_000;

let running = 0;
const waiting: Array<() => void> = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 4) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return slot(() => runCaptured(command, args, { cwd: ROOT, env, timeoutMs: 60_000 }));
}

/** `./scripts/tonewall ARGS`, for its help only (no program but bash's own runs for --help: cli.test.ts). */
function tonewall(...args: string[]): Promise<Run> {
  return run(join(ROOT, 'scripts', 'tonewall'), args, { ...process.env, TONEWALL_RUN_NAME: RUN_NAME });
}

/** A scripts/*.ts entry point as `./scripts/tonewall` runs it (tsx), in one node process. */
function tsx(script: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return run(process.execPath, ['--import', 'tsx', join('scripts', script), ...args], {
    ...process.env,
    TONEWALL_RUN_NAME: RUN_NAME,
    ...env,
  });
}

/** The long options a usage text names. */
const optionsIn = (text: string) => new Set([...text.matchAll(/--[a-z][a-z0-9-]*/g)].map((m) => m[0]));

describe.concurrent('scripts/*.ts entry points: --help (exit 0) and usage errors (exit 2)', () => {
  // [script, sub-command, the tonewall topic whose help names the same options, options only the script has]
  const entries: Array<[string, string[], string[] | undefined, string[]]> = [
    ['audit.ts', ['verify'], ['audit', 'verify'], []],
    ['audit.ts', ['report'], ['audit', 'report'], []],
    ['users.ts', ['add'], ['users', 'add'], []],
    ['users.ts', ['list'], ['users', 'list'], []],
    ['users.ts', ['totp'], ['users', 'totp'], []],
    ['pan-scan.ts', [], ['pan-scan'], []],
    ['api-key.ts', [], ['api-key'], []],
    ['keys.ts', [], ['keys'], ['--dir']], // tonewall passes --dir (TONEWALL_KEYS_DIR)
    ['demo.ts', [], ['demo-call'], []],
    ['bench.ts', [], ['bench'], []],
    ['masking-check.ts', [], ['masking-check'], []],
    ['make-prompts.ts', [], undefined, []],
    ['delay-per-hop.ts', [], undefined, []],
    ['config.ts', [], ['config'], []],
    ['config.ts', ['check'], ['config', 'check'], []],
  ];
  for (const [script, sub, topic, own] of entries) {
    it(`${[script, ...sub].join(' ')}`, { timeout: TIMEOUT_MS }, async () => {
      const [help, bad, tonewallHelp] = await Promise.all([
        tsx(script, [...sub, sub.length > 0 ? '-h' : '--help']),
        // a usage error once per script (audit report and users list share their script's parsing)
        sub[0] === 'report' || sub[0] === 'list' || sub[0] === 'totp'
          ? undefined
          : tsx(script, [...sub, '--no-such-option']),
        topic ? tonewall(...topic, '--help') : undefined,
      ]);
      expect(help.stderr).toBe('');
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^usage: /);
      expect(help.stdout).toContain('exit status: 0 ');
      if (tonewallHelp) {
        const expected = [...optionsIn(tonewallHelp.stdout)].filter((option) => option !== '--help').sort();
        const actual = [...optionsIn(help.stdout)].filter((option) => !own.includes(option)).sort();
        expect(actual, `options of ${script} against ./scripts/tonewall ${topic?.join(' ')} --help`).toEqual(
          expected,
        );
      }
      if (bad) {
        expect(bad.status).toBe(2);
        expect(bad.stdout).toBe('');
        expect(bad.stderr).toContain('usage');
      }
    });
  }

  it('audit.ts without a sub-command prints the usage (exit 0); users.ts with an unknown one exits 2', {
    timeout: TIMEOUT_MS,
  }, async () => {
    const [audit, usersBad] = await Promise.all([tsx('audit.ts', []), tsx('users.ts', ['bogus'])]);
    expect(audit.status).toBe(0);
    expect(audit.stdout).toMatch(/^usage:/);
    expect(usersBad.status).toBe(2);
    expect(usersBad.stderr).toContain("unknown sub-command 'bogus'");
  });

  it('pan-scan.ts without a path is a usage error (exit 2), never an empty scan that passes', {
    timeout: TIMEOUT_MS,
  }, async () => {
    const result = await tsx('pan-scan.ts', []);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: pan-scan');
  });
});

describe.concurrent('the README examples that run without a stack', () => {
  it('runs: users add NAME --role agent --agent-id ID, then users list', {
    timeout: TIMEOUT_MS,
  }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tonewall-cli-users-')), 'users.json');
    const [add, short, badRole] = await Promise.all([
      tsx(
        'users.ts',
        [
          'add',
          'alice',
          '--role',
          'agent',
          '--agent-id',
          'agent-1',
          '--max-amount',
          '75.00',
          '--password-env',
          'CLI_PW',
          '--file',
          file,
        ],
        { CLI_PW: 'correct horse battery' },
      ),
      // a password under 12 characters and a bad role are usage errors
      tsx('users.ts', ['add', 'bob', '--password-env', 'CLI_PW', '--file', file], { CLI_PW: 'elevenchars' }),
      tsx('users.ts', ['add', 'bob', '--role', 'root', '--generate', '--file', file]),
    ]);
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    expect(add.stdout).toContain('alice (agent)');
    expect(short.status).toBe(2);
    expect(badRole.status).toBe(2);
    // the agent's own limit per payment, kept in the file
    expect(JSON.parse(readFileSync(file, 'utf8')).users[0].maxAmount).toBe('75.00');
    const list = await tsx('users.ts', ['list', '--file', file]);
    expect(list.status).toBe(0);
    expect(list.stdout).toBe('alice\tagent agent=agent-1 (no authenticator)\n');
    expect(short.stderr).toContain('at least 12 characters');
    // an authenticator key, printed once, kept in the file; --clear removes it
    const totp = await tsx('users.ts', ['totp', 'alice', '--file', file]);
    expect(totp.status).toBe(0);
    const key = /^authenticator key: ([A-Z2-7]{32})$/m.exec(totp.stdout)?.[1] ?? 'none';
    expect(totp.stdout).toContain(`otpauth://totp/tonewall:alice?issuer=tonewall&secret=${key}`);
    expect(readFileSync(file, 'utf8')).toContain(key);
    expect((await tsx('users.ts', ['list', '--file', file])).stdout).toBe('alice\tagent agent=agent-1\n');
    expect((await tsx('users.ts', ['totp', 'alice', '--clear', '--file', file])).status).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toContain(key);
  });

  it('runs: pan-scan PATH... (exit 1 on a find, 0 on none)', { timeout: TIMEOUT_MS }, async () => {
    const clean = mkdtempSync(join(tmpdir(), 'tonewall-cli-pan-'));
    writeFileSync(join(clean, 'clean.log'), 'order 123456\n');
    const dirty = mkdtempSync(join(tmpdir(), 'tonewall-cli-pan-'));
    writeFileSync(join(dirty, 'leak.log'), `card ${['4111', '1111', '1111', '1111'].join('')}\n`);
    const [none, found] = await Promise.all([tsx('pan-scan.ts', [clean]), tsx('pan-scan.ts', [dirty])]);
    expect(none.status).toBe(0);
    expect(found.status).toBe(1);
    expect(found.stdout).toContain('************1111');
  });

  it('runs: audit verify [FILES] and audit report --from D --to D on a signed log', {
    timeout: TIMEOUT_MS,
  }, async () => {
    const log = await openLog(); // its clock starts 2026-11-23 09:00 UTC
    for (let n = 1; n <= 3; n += 1) await log.store.append(entry(n));
    await log.store.close();
    const out = join(mkdtempSync(join(tmpdir(), 'tonewall-cli-report-')), 'report.html');
    const [ok, missing, report] = await Promise.all([
      tsx('audit.ts', ['verify', '--keys', log.keys, log.dir]),
      tsx('audit.ts', ['verify', '--keys', log.keys, join(log.dir, 'no-such-file.jsonl')]),
      tsx('audit.ts', [
        'report',
        '--from',
        '2026-11-23',
        '--to',
        '2026-11-24',
        '--keys',
        log.keys,
        '--log',
        log.dir,
        '--scan',
        log.dir,
        '--out',
        out,
      ]),
    ]);
    expect(ok.stdout).toContain('audit log verifies');
    expect(ok.status).toBe(0);
    expect(missing.status).toBe(1);
    expect(report.stderr).toBe('');
    expect(report.status).toBe(0);
    expect(report.stdout).toContain(`wrote ${out}`);
    expect(readFileSync(out, 'utf8')).toContain('<html');
  });

  it('runs: the make-tone-pcap line of "A call by hand"', { timeout: TIMEOUT_MS }, async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const line = /^npx tsx scripts\/make-tone-pcap\.ts (.*)$/m.exec(readme)?.[1];
    expect(line).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'tonewall-cli-pcap-'));
    const args = (line as string).split(/\s+/).map((arg) => (arg === 'customer.pcap' ? join(dir, arg) : arg));
    const result = await tsx('make-tone-pcap.ts', args);
    expect(result.status).toBe(0);
    expect(statSync(join(dir, 'customer.pcap')).size).toBeGreaterThan(1000);
  });
});

// The command line (issue 15, item 5): every verb and sub-verb of ./scripts/tonewall answers -h/--help
// with its usage on stdout, exit 0, and does nothing else; no argument prints the help; an unknown
// command or option exits 2 with the usage on stderr; the README's commands exist with the options it
// shows. (The scripts/*.ts entry points and the README examples that run: cli-entry-points.test.ts.)
//
// Nothing here installs, builds or starts anything: the help runs go through a PATH whose first folder
// shadows every program a command's work would run (apt-get, npm, node, kamailio, …) with one that
// records the call and fails, and the test asserts that none was called and no run directory appeared.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Run, runCaptured } from '../support/run-captured.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TONEWALL = join(ROOT, 'scripts', 'tonewall');
const RUN_NAME = `cli-test-${process.pid}`;
const RUN_DIR = join(ROOT, '.run', RUN_NAME);

/** Every command and sub-command; `./scripts/tonewall --help` must list exactly these commands. */
const TOPICS: string[][] = [
  ['demo'],
  ['demo-call'],
  ['up'],
  ['down'],
  ['status'],
  ['keys'],
  ['users'],
  ['users', 'add'],
  ['users', 'list'],
  ['users', 'totp'],
  ['audit'],
  ['audit', 'verify'],
  ['audit', 'report'],
  ['pan-scan'],
  ['api-key'],
  ['config'],
  ['config', 'check'],
  ['masking-check'],
  ['test'],
  ['bench'],
];
const VERBS = [...new Set(TOPICS.map(([verb]) => verb as string))];

// Programs a command's work runs; each stand-in records its call and fails.
const TRAP = mkdtempSync(join(tmpdir(), 'tonewall-cli-trap-'));
const CALLS = join(TRAP, 'calls');
for (const name of [
  'apt-get',
  'sudo',
  'dpkg-query',
  'npm',
  'npx',
  'node',
  'sha256sum',
  'kamailio',
  'rtpengine',
  'sipp',
  'curl',
  'tcpdump',
  'espeak-ng',
  'sox',
  'chromium',
]) {
  const file = join(TRAP, name);
  writeFileSync(file, `#!/bin/sh\necho "${name} $*" >>'${CALLS}'\nexit 99\n`);
  chmodSync(file, 0o755);
}

// At most a few processes at once: quick on a busy machine, and the runs overlap.
let running = 0;
const waiting: Array<() => void> = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 6) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return slot(() => runCaptured(command, args, { cwd: ROOT, env, timeoutMs: 25_000 }));
}

const memo = new Map<string, Promise<Run>>();

/** `./scripts/tonewall ARGS` with the trap first on PATH (the same arguments run once). */
function tonewall(...args: string[]): Promise<Run> {
  const key = JSON.stringify(args);
  let result = memo.get(key);
  if (!result) {
    result = run(TONEWALL, args, {
      ...process.env,
      PATH: `${TRAP}:${process.env.PATH}`,
      TONEWALL_RUN_NAME: RUN_NAME,
    });
    memo.set(key, result);
  }
  return result;
}

/** The long options a usage text names. */
const optionsIn = (text: string) => new Set([...text.matchAll(/--[a-z][a-z0-9-]*/g)].map((m) => m[0]));

function nothingRan(): void {
  expect(existsSync(CALLS) ? readFileSync(CALLS, 'utf8') : '', 'programs the command ran').toBe('');
  expect(existsSync(RUN_DIR), `${RUN_DIR} made`).toBe(false);
}

afterAll(() => nothingRan());

describe.concurrent('./scripts/tonewall help', () => {
  it('prints the help with no argument, --help, -h and help: stdout, exit 0, every command listed', async () => {
    const outputs = await Promise.all([tonewall(), tonewall('--help'), tonewall('-h'), tonewall('help')]);
    for (const result of outputs) {
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(outputs[0]?.stdout);
    }
    const text = outputs[0]?.stdout ?? '';
    expect(text).toMatch(/^usage: \.\/scripts\/tonewall <command>/);
    expect(text).toMatch(/exit status: 0 ok, 1 a check failed, 2 usage/);
    const listed = [...new Set([...text.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]))];
    expect(listed.sort()).toEqual([...VERBS].sort());
    nothingRan();
  });

  for (const topic of TOPICS) {
    it(`${topic.join(' ')} --help and -h: its usage on stdout, exit 0, nothing else`, async () => {
      const [long, short] = await Promise.all([tonewall(...topic, '--help'), tonewall(...topic, '-h')]);
      expect(long.stderr).toBe('');
      expect(long.status).toBe(0);
      expect(long.stdout).toMatch(new RegExp(`^usage: \\./scripts/tonewall ${topic.join(' ')}\\b`));
      expect(long.stdout).toMatch(/exit status: 0 /);
      expect(short).toEqual(long);
      nothingRan();
    });
  }

  it('answers --help after other arguments too, and `help COMMAND` the same as `COMMAND --help`', async () => {
    const [help, after, viaHelp, down, downHelp, helpDown] = await Promise.all([
      tonewall('audit', 'verify', '--help'),
      tonewall('audit', 'verify', '--keys', 'x', '--partial', '--help'),
      tonewall('help', 'audit', 'verify'),
      tonewall('down', '--force', '-h'),
      tonewall('down', '--help'),
      tonewall('help', 'down'),
    ]);
    expect(after).toEqual(help);
    expect(viaHelp).toEqual(help);
    expect(down).toEqual(downHelp);
    expect(helpDown).toEqual(downHelp);
    nothingRan();
  });

  it('prints the usage of audit and users without a sub-command (exit 0)', async () => {
    expect(await tonewall('audit')).toEqual(await tonewall('audit', '--help'));
    expect(await tonewall('users')).toEqual(await tonewall('users', '--help'));
    expect((await tonewall('users')).status).toBe(0);
    nothingRan();
  });
});

describe.concurrent('./scripts/tonewall usage errors: exit 2, the usage on stderr, nothing run', () => {
  const cases: string[][] = [
    ['bogus'],
    ['--bogus'],
    ['help', 'bogus'],
    ['up', 'extra'],
    ['up', '--no-build', 'extra'],
    ['down', '--now'],
    ['status', '-v'],
    ['demo', '--fast'],
    ['test', 'unit'],
    ['demo-call', '--bogus'],
    ['audit', 'bogus'],
    ['audit', '--keys'],
    ['users', 'delete'],
    // an option the command's usage does not name fails before anything is installed or built
    ['keys', '--bogus'],
    ['bench', '--quick', '--bogus'],
    ['masking-check', '--own-stack', '-v'],
    ['pan-scan', '-x', 'logs'],
    ['audit', 'verify', '--bogus'],
    ['audit', 'report', '--from=2026-01-01', '--nope'],
    ['users', 'add', 'alice', '--bogus'],
    ['config', 'bogus'],
    ['config', 'check', '--bogus'],
    ['config', 'check', 'extra'],
  ];
  for (const args of cases) {
    it(args.join(' '), async () => {
      const result = await tonewall(...args);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^tonewall: /);
      expect(result.stderr).toMatch(/usage: \.\/scripts\/tonewall/);
      nothingRan();
    });
  }
});

describe.concurrent('the README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const running = readme.slice(readme.indexOf('## Running it'), readme.indexOf('### A call by hand'));

  /** Every `./scripts/tonewall …` example in the README, and every command of the Running it table. */
  const examples = [
    ...[...readme.matchAll(/\.\/scripts\/tonewall ([^`\n|#]+)/g)].map((m) => (m[1] as string).trim()),
    ...[...running.matchAll(/^\| `([a-z][^|]*)\|/gm)].flatMap((m) =>
      [...(m[1] as string).matchAll(/`?([a-z][^`]*)`/g)].map((part) => (part[1] as string).trim()),
    ),
  ].filter((text) => /^[a-z]/.test(text));

  it('names only commands that exist, with options their help names', async () => {
    expect(examples.length).toBeGreaterThan(15);
    const topics = new Set(TOPICS.map((topic) => topic.join(' ')));
    for (const example of examples) {
      const words = example.split(/\s+/);
      const topic = topics.has(words.slice(0, 2).join(' ')) ? words.slice(0, 2) : words.slice(0, 1);
      expect(topics.has(topic.join(' ')), `README: ./scripts/tonewall ${example}`).toBe(true);
      const help = await tonewall(...topic, '--help');
      expect(help.status, example).toBe(0);
      const known = optionsIn(help.stdout);
      for (const option of optionsIn(example)) {
        expect(known.has(option), `README: ./scripts/tonewall ${example}: ${option}`).toBe(true);
      }
    }
    nothingRan();
  });

  it('documents the exit codes in one table', () => {
    expect(running).toMatch(/\| 0 \| ok/);
    expect(running).toMatch(/\| 1 \| a check failed/);
    expect(running).toMatch(/\| 2 \| usage/);
  });
});

// The settings registry (issue 15, item 4): every TONEWALL_* setting is declared once in
// src/config/registry/; the README's tables are generated from it; every name the scripts, compose.yaml,
// the Dockerfile, the sources and the docs use is declared, with the same default where they spell
// one out; every declared reader really mentions the setting. A setting added in one place and not the
// others fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { Reader } from '../../src/config/registry/setting.js';
import { withSettingsMarkdown } from '../../src/config/settings-markdown.js';
import { declaredSettings, SETTINGS } from '../../src/config/settings-registry.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DECLARED = declaredSettings();
const BY_NAME = new Map(DECLARED.map((setting) => [setting.name, setting]));

/** Names that look like settings and are not: a placeholder in masking-check's usage message. */
const NOT_SETTINGS = new Set(['TONEWALL_NAME']);

/** Defaults spelled out elsewhere that differ on purpose, by file and name. */
const OTHER_DEFAULTS: Readonly<Record<string, string>> = {
  // compose.yaml turns dialog keep-alives on in containers (README, docs/operations.md)
  'compose.yaml TONEWALL_DLG_KEEPALIVE': '30',
  // masking-check spells out the edge's flags as the stack derives them from TONEWALL_EDGE_DELAY_BUFFER
  'scripts/masking-check.ts TONEWALL_EDGE_BLOCK_DTMF_FLAGS': 'edgeRenders',
  // the demo turns one-time codes off, visibly (its output, the desk's banner, the gateway's log)
  'scripts/lib/demo.sh TONEWALL_MFA': 'off',
};

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? filesUnder(path) : [path];
  });
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Every file a setting may be used in, outside the registry and the tests. */
const USERS = [
  ...filesUnder('scripts'),
  ...filesUnder('src').filter((path) => !path.startsWith(join('src', 'config', 'registry'))),
  ...filesUnder('docs').filter((path) => path.endsWith('.md')),
  ...filesUnder('sip-config'),
  'compose.yaml',
  'Dockerfile',
  'README.md',
  'SECURITY.md',
  'keys/README.md',
].map((path) => ({ path, text: read(path) }));

function namesIn(text: string): string[] {
  return [...text.matchAll(/\bTONEWALL_[A-Z0-9_]+\b/g)]
    .map((match) => match[0])
    .filter((name) => !name.endsWith('_') && !NOT_SETTINGS.has(name));
}

/** Defaults spelled out in shell (`${NAME:-x}`, `${NAME:=x}`) and TypeScript (`NAME ?? 'x'`, `NAME || 8080`). */
function defaultsIn(text: string): Array<[name: string, value: string]> {
  const shell = [...text.matchAll(/\$\{(TONEWALL_[A-Z0-9_]+):[-=]([^}]*)\}/g)].map(
    (match) => [match[1], match[2]] as [string, string],
  );
  const typescript = [
    ...text.matchAll(/\b(TONEWALL_[A-Z0-9_]+)\s*(?:\?\?|\|\|)\s*(?:'([^']*)'|(\d+)\b)/g),
  ].map((match) => [match[1], match[2] ?? match[3]] as [string, string]);
  // derived defaults (`${A:=${B}…}`, `$((…))`) are not fixed values
  return [...shell, ...typescript].filter(([, value]) => !value.includes('$'));
}

describe('the settings registry', () => {
  it('declares each setting once, documented, with a default that parses', () => {
    expect(DECLARED.length).toBe(Object.keys(SETTINGS).length);
    expect(DECLARED.length).toBeGreaterThan(90);
    for (const setting of DECLARED) {
      expect(setting.name, setting.name).toMatch(/^TONEWALL_[A-Z0-9_]+$/);
      expect(setting.doc.length, setting.name).toBeGreaterThan(5);
      expect(setting.readBy.length, setting.name).toBeGreaterThan(0);
      expect(setting.default !== undefined && setting.defaultText !== undefined, setting.name).toBe(false);
      if (setting.secret) expect(setting.default, `${setting.name}: a secret has no default`).toBeUndefined();
      if (setting.default !== undefined && setting.default !== '') {
        expect(setting.schema.safeParse(setting.default).success, setting.name).toBe(true);
      }
    }
  });

  it('the README tables are the registry’s (npx tsx scripts/settings-doc.ts writes them)', () => {
    const readme = read('README.md');
    const generated = withSettingsMarkdown(readme);
    expect(generated, 'README.md has the settings:begin / settings:end markers').toBeDefined();
    expect(generated === readme, 'README.md settings tables: run npx tsx scripts/settings-doc.ts').toBe(true);
    for (const { name } of DECLARED) expect(readme, name).toContain(`| \`${name}\` |`);
  });

  it('declares every TONEWALL_* name the scripts, compose.yaml, the sources and the docs use', () => {
    // a secret's `_FILE` (src/config/secret-files.ts) is the secret's own name
    const secretFile = (name: string) =>
      name.endsWith('_FILE') && BY_NAME.get(name.slice(0, -5))?.secret === true;
    const undeclared = USERS.flatMap(({ path, text }) =>
      namesIn(text)
        .filter((name) => !BY_NAME.has(name) && !secretFile(name))
        .map((name) => `${path}: ${name}`),
    );
    expect([...new Set(undeclared)]).toEqual([]);
  });

  it('declares nothing that nothing uses', () => {
    const used = new Set(
      USERS.filter(({ path }) => path !== 'README.md').flatMap(({ text }) => namesIn(text)),
    );
    expect(DECLARED.map(({ name }) => name).filter((name) => !used.has(name))).toEqual([]);
  });

  it('has the defaults that scripts/, compose.yaml, the Dockerfile and the sources spell out', () => {
    const seen = USERS.flatMap(({ path, text }) =>
      defaultsIn(text).map(([name, value]) => ({ path, name, value })),
    );
    expect(seen.length).toBeGreaterThan(40);
    const disagree = seen.flatMap(({ path, name, value }) => {
      const expected = OTHER_DEFAULTS[`${relative('.', path)} ${name}`] ?? BY_NAME.get(name)?.default;
      // no fixed default in the registry (unset, or derived: its defaultText says how)
      if (expected === undefined) return [];
      return expected === value
        ? []
        : [`${path}: ${name} defaults to '${value}', the registry to '${expected}'`];
    });
    expect(disagree).toEqual([]);
  });

  it('names as readers only those that mention the setting', () => {
    const sandbox = filesUnder(join('src', 'sandbox'));
    const text: Readonly<Record<Reader, string>> = {
      gateway: [
        'src/config/config.ts',
        'src/config/access-settings.ts',
        'src/config/audit-settings.ts',
        'src/config/webhook-settings.ts',
        'src/config/state-store-settings.ts',
      ]
        .map(read)
        .join('\n'),
      stack: ['scripts/lib/stack.sh', 'scripts/lib/stack-firewall.sh', 'scripts/container-entry.sh']
        .map(read)
        .join('\n'),
      scripts: filesUnder('scripts')
        .filter((path) => !/stack\.sh$|container-entry\.sh$/.test(path))
        .map(read)
        .join('\n'),
      sandbox: sandbox.map(read).join('\n'),
      signer: filesUnder(join('src', 'signer')).map(read).join('\n'),
    };
    const wrong = DECLARED.flatMap(({ name, readBy }) =>
      readBy.filter((reader) => !namesIn(text[reader]).includes(name)).map((reader) => `${name}: ${reader}`),
    );
    expect(wrong).toEqual([]);
  });

  it('accepts every declared setting at its default in the gateway’s strict schema', () => {
    const env = Object.fromEntries(
      DECLARED.filter((setting) => setting.default).map(({ name, default: value }) => [
        name,
        value as string,
      ]),
    );
    expect(() => loadConfig(env)).not.toThrow();
  });
});

describe('the prompt settings', () => {
  it('TONEWALL_PROMPTS=off turns prompts off, even with a prompts folder', () => {
    expect(loadConfig({ TONEWALL_PROMPTS: 'off', TONEWALL_PROMPTS_DIR: '/srv/prompts' }).prompts).toEqual({
      directory: undefined,
      defaultLanguage: 'en-GB',
      readBack: true,
    });
    expect(
      loadConfig({
        TONEWALL_PROMPTS: 'on',
        TONEWALL_PROMPTS_DIR: '/srv/prompts',
        TONEWALL_DEFAULT_LANGUAGE: 'cy-GB',
      }).prompts,
    ).toEqual({ directory: '/srv/prompts', defaultLanguage: 'cy-GB', readBack: true });
    expect(loadConfig({ TONEWALL_AMOUNT_READBACK: 'off' }).prompts.readBack).toBe(false);
    expect(loadConfig({ TONEWALL_PROMPTS_DIR: '/srv/prompts' }).prompts.directory).toBe('/srv/prompts');
  });

  it('TONEWALL_PROMPT_VOICE is a setting (the scripts speak the prompts with it), not a typo', () => {
    expect(() => loadConfig({ TONEWALL_PROMPT_VOICE: 'en-us' })).not.toThrow();
    expect(() => loadConfig({ TONEWALL_PROMPT_VOICE: '../x' })).toThrow(/TONEWALL_PROMPT_VOICE/);
    expect(read('scripts/lib/services.sh')).toMatch(/--voice "\$voice"/);
  });
});

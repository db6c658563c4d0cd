/**
 * The Dockerfile and compose.yaml cannot be built or run here (no Docker engine), so this test holds
 * them to each other and to the code (issue 16, item 3 in containers): the signer runs its own
 * command as a user of its own; only its container gets the audit signing key; the gateway reads the
 * files it needs (its own configuration says which) and no private audit key; the socket, its group
 * and the signer's state agree between the image and compose.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/config.js';
import { keyFilesOf } from '../../src/config/key-files.js';
import { declaredSettings } from '../../src/config/settings-registry.js';
import { loadSandboxConfig } from '../../src/sandbox/sandbox-config.js';
import { loadSignerConfig } from '../../src/signer/signer-config.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Stage {
  readonly from: string;
  readonly lines: string[];
}

/** The Dockerfile's stages by name, each with its instructions (continuation lines joined). */
function stagesOf(text: string): Map<string, Stage> {
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages = new Map<string, Stage>();
  let current: Stage | undefined;
  for (const line of instructions) {
    const from = /^FROM (\S+) AS (\S+)$/.exec(line);
    if (from) {
      current = { from: from[1] as string, lines: [] };
      stages.set(from[2] as string, current);
    } else current?.lines.push(line);
  }
  return stages;
}

const STAGES = stagesOf(read('Dockerfile'));

function stage(name: string): Stage {
  const found = STAGES.get(name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
}

/** An instruction of a stage or of the stages it is built from (the nearest wins). */
function inherited(name: string, pick: (stage: Stage) => string[]): string[] {
  const own = pick(stage(name));
  const parent = STAGES.has(stage(name).from) ? inherited(stage(name).from, pick) : [];
  return [...parent, ...own];
}

function envOf(name: string): Record<string, string> {
  const lines = inherited(name, (s) => s.lines.filter((line) => line.startsWith('ENV ')));
  return Object.fromEntries(
    lines.flatMap((line) => [...line.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1] as string, m[2] as string])),
  );
}

const userOf = (name: string) =>
  inherited(name, (s) => s.lines.filter((line) => line.startsWith('USER ')))
    .at(-1)
    ?.slice(5);
const cmdOf = (name: string) =>
  JSON.parse(
    inherited(name, (s) => s.lines.filter((l) => l.startsWith('CMD ')))
      .at(-1)
      ?.slice(4) ?? '[]',
  );
const runsOf = (name: string) => inherited(name, (s) => s.lines.filter((line) => line.startsWith('RUN ')));

interface Service {
  readonly build?: { target?: string };
  readonly command?: string[];
  readonly volumes?: string[];
  readonly environment?: Record<string, string>;
  readonly depends_on?: Record<string, { condition: string }> | string[];
  readonly network_mode?: string;
  readonly read_only?: boolean;
}

const COMPOSE = parse(read('compose.yaml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, { driver_opts?: { o?: string } } | null>;
};
const SERVICES = COMPOSE.services;
const signer = SERVICES.signer as Service;
const gateway = SERVICES.gateway as Service;

/** A service's mounts as {source, target, readOnly}. */
function mountsOf(service: Service) {
  return (service.volumes ?? []).map((entry) => {
    const [source, target, mode] = entry.split(':') as [string, string, string | undefined];
    return { source, target, readOnly: mode === 'ro' };
  });
}

const SIGNER_ENV = envOf('signer');
const SIGNER_UID = Number(
  /useradd [^&]*--uid (\d+)[^&]*tonewall-signer/.exec(runsOf('signer').join('\n'))?.[1],
);
const AUDIT_GID = Number(/groupadd [^&]*--gid (\d+) tonewall-audit/.exec(runsOf('runtime').join('\n'))?.[1]);

describe('the audit signer in the image and compose.yaml', () => {
  it('runs dist/signer/main.js from its own target, as a user of its own', () => {
    expect(signer.build?.target).toBe('signer');
    expect(stage('signer').from).toBe('runtime');
    expect(signer.command ?? cmdOf('signer')).toEqual(['node', 'dist/signer/main.js']);
    expect(userOf('signer')).toBe('tonewall-signer');
    expect(SIGNER_UID).toBeGreaterThan(1000);
    // not the gateway's (`node`, 1000), not the media image's (10001)
    expect(userOf('gateway')).toBe('node');
    expect(runsOf('media').join('\n')).toMatch(/useradd [^&]*--uid 10001 /);
    expect([1000, 10001]).not.toContain(SIGNER_UID);
    // no capability to bind low ports on the signer's node binary (that is the gateway's stage)
    expect(runsOf('signer').join('\n')).not.toContain('setcap');
    expect(signer).toMatchObject({ network_mode: 'none', read_only: true });
  });

  it('alone gets the audit signing key; the gateway gets its keyring, no private audit key', () => {
    const key = loadSignerConfig(SIGNER_ENV, '/app').keyFile;
    expect(mountsOf(signer)).toContainEqual({ source: `.${key}`, target: key, readOnly: true });
    for (const [name, service] of Object.entries(SERVICES)) {
      for (const { source } of mountsOf(service)) {
        // never the whole keys folder (it holds the signing key), never an audit private key elsewhere
        expect(source.replace(/\/$/, ''), name).not.toBe('./keys');
        if (name !== 'signer') expect(source, name).not.toMatch(/audit-signing.*\.key$/);
      }
    }
  });

  it('gives the gateway exactly the key files its configuration reads', () => {
    // compose's own values; those it takes from the deployer's environment (`${…}`) and the secret
    // files (not here) are left unset
    const fixed = Object.entries(gateway.environment ?? {}).filter(
      ([name, value]) => !value.startsWith('${') && !name.endsWith('_FILE'),
    );
    const config = loadConfig({ ...envOf('gateway'), ...Object.fromEntries(fixed) });
    expect(config.audit.signerSocket).toBe(SIGNER_ENV.TONEWALL_AUDIT_SIGNER_SOCKET);
    const needed = [...keyFilesOf(config).map((file) => file.path), ...config.audit.publicKeys].sort();
    expect(needed).not.toContain(config.audit.signingKeyFile);
    const files = mountsOf(gateway).filter(({ target }) => target.startsWith('/keys/'));
    for (const file of files)
      expect(file).toEqual({ source: `.${file.target}`, target: file.target, readOnly: true });
    expect(files.map(({ target }) => target).sort()).toEqual(needed);
  });

  it('passes no secret in an environment value: each is a file under /run/secrets (TONEWALL_<NAME>_FILE)', () => {
    const secretNames = declaredSettings()
      .filter((setting) => setting.secret)
      .map((setting) => setting.name);
    const compose = COMPOSE as unknown as { secrets?: Record<string, { file?: string }> };
    for (const [name, service] of Object.entries(SERVICES)) {
      const environment = { ...(service.environment ?? {}) };
      for (const secret of secretNames) expect(environment, `${name}: ${secret}`).not.toHaveProperty(secret);
      const files = Object.entries(environment).filter(([variable]) => variable.endsWith('_FILE'));
      for (const [variable, path] of files) {
        expect(secretNames, variable).toContain(variable.replace(/_FILE$/, ''));
        const secret = /^\/run\/secrets\/([a-z-]+)$/.exec(path)?.[1];
        expect(secret, `${variable}: ${path}`).toBeDefined();
        expect((service as { secrets?: string[] }).secrets, name).toContain(secret);
        expect(compose.secrets?.[secret as string]?.file, secret).toMatch(/^\.\/secrets\//);
      }
    }
    // the gateway's two optional secrets are files
    expect(gateway.environment).toMatchObject({
      TONEWALL_METRICS_TOKEN_FILE: '/run/secrets/metrics-token',
      TONEWALL_WEBHOOK_SECRET_FILE: '/run/secrets/webhook-secret',
    });
  });

  it('gives the sandbox its own files and nothing of the audit log', () => {
    const sandbox = loadSandboxConfig(envOf('gateway'), '/app');
    const targets = mountsOf(SERVICES.sandbox as Service).map(({ target }) => target);
    expect(targets).toEqual(expect.arrayContaining([sandbox.certFile, sandbox.keyFile, sandbox.caFile]));
    expect(targets.filter((file) => file.includes('audit'))).toEqual([]);
  });

  it('shares the socket with the gateway in a group the gateway is in, the state in a volume of its own', () => {
    const socketDir = dirname(SIGNER_ENV.TONEWALL_AUDIT_SIGNER_SOCKET as string);
    const socketVolume = mountsOf(signer).find(({ target }) => target === socketDir);
    expect(socketVolume).toBeDefined();
    expect(mountsOf(gateway)).toContainEqual({ ...socketVolume, readOnly: true });
    expect(COMPOSE.volumes[socketVolume?.source as string]?.driver_opts?.o).toBe(
      `uid=${SIGNER_UID},gid=${AUDIT_GID},mode=0750`,
    );
    // the socket's group is tonewall-audit; node is in it, and so is the signer (to give it the socket)
    expect(SIGNER_ENV.TONEWALL_AUDIT_SIGNER_GROUP).toBe(String(AUDIT_GID));
    expect(runsOf('gateway').join('\n')).toMatch(/usermod --append --groups tonewall-audit node/);
    expect(runsOf('signer').join('\n')).toMatch(/useradd [^&]*--groups tonewall-audit [^&]*tonewall-signer/);

    const stateDir = dirname(SIGNER_ENV.TONEWALL_AUDIT_SIGNER_STATE as string);
    const state = mountsOf(signer).find(({ target }) => target === stateDir);
    expect(state?.readOnly).toBe(false);
    const others = Object.entries(SERVICES).filter(([name]) => name !== 'signer');
    for (const [name, service] of others) {
      expect(
        mountsOf(service).map(({ source }) => source),
        name,
      ).not.toContain(state?.source);
    }
    expect(Object.keys(COMPOSE.volumes)).toContain(state?.source);
  });

  it('starts the gateway once the signer answers on its socket', () => {
    expect(gateway.depends_on).toMatchObject({ signer: { condition: 'service_healthy' } });
    const check = inherited('signer', (s) => s.lines.filter((line) => line.startsWith('HEALTHCHECK ')));
    expect(check.at(-1)).toContain('process.env.TONEWALL_AUDIT_SIGNER_SOCKET');
  });
});

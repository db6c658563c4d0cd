/**
 * The shape of src/ (issue 15): imports point inward, and no file imports itself round a circle.
 *
 *   domain        pure rules: imports domain only (and the shared GatewayError); no I/O module
 *   application   use cases and the ports they own: domain, application
 *   adapters      implement the ports: domain, application, adapters, config (their settings' types)
 *   delivery      HTTP API, SSE, UI: domain, application, delivery, config
 *   config        the settings registry: config, domain
 *   composition   (src/composition, src/main.ts) builds and wires everything
 *   sandbox       the test processor, a program of its own: sandbox, domain
 *   signer        the audit signer, a program of its own: signer, domain
 * Shared by every layer: src/errors.ts (GatewayError), src/logger.ts (the Logger type),
 * src/program-settings.ts (the settings every program reads), and for the programs' entry points
 * src/process-lifecycle.ts.
 *
 * Also: every file of src/, scripts/ and test/support/ has 300 lines or fewer.
 *
 * To see it fail: add `import '../adapters/rtpengine/ng-client.js';` to any file of src/domain or
 * src/application and run this file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cyclesOf, importGraph } from '../../support/import-graph.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SHARED = new Set(['src/errors.ts', 'src/logger.ts', 'src/program-settings.ts']);
const COMPOSITION = new Set(['src/main.ts']);

type Layer =
  | 'domain'
  | 'application'
  | 'adapters'
  | 'delivery'
  | 'config'
  | 'composition'
  | 'sandbox'
  | 'signer'
  | 'shared';

function layerOf(file: string): Layer {
  if (SHARED.has(file) || file === 'src/process-lifecycle.ts') return 'shared';
  if (COMPOSITION.has(file)) return 'composition';
  const folder = file.split('/')[1];
  switch (folder) {
    case 'domain':
    case 'application':
    case 'adapters':
    case 'delivery':
    case 'config':
    case 'composition':
    case 'sandbox':
    case 'signer':
      return folder;
    default:
      throw new Error(`${file} is in no layer: add its folder to test/unit/architecture/layers.test.ts`);
  }
}

const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  domain: ['domain'],
  application: ['domain', 'application'],
  adapters: ['domain', 'application', 'adapters', 'config'],
  delivery: ['domain', 'application', 'delivery', 'config'],
  config: ['config', 'domain'],
  composition: ['domain', 'application', 'adapters', 'delivery', 'config', 'composition'],
  sandbox: ['sandbox', 'domain'],
  signer: ['signer', 'domain'],
  shared: ['shared'],
};

/** Node modules that do I/O: none of them in the domain. */
const IO_MODULES =
  /from 'node:(fs|fs\/promises|net|dgram|http|https|tls|child_process|worker_threads|os|process)'/;

function outwardImports(edges: readonly { from: string; to: string }[]): string[] {
  return edges
    .filter((edge) => {
      const to = layerOf(edge.to);
      // the process helpers belong to the programs' entry points only
      if (to === 'shared')
        return (
          edge.to === 'src/process-lifecycle.ts' &&
          !['composition', 'sandbox', 'signer'].includes(layerOf(edge.from))
        );
      return !MAY_IMPORT[layerOf(edge.from)].includes(to);
    })
    .map((edge) => `${edge.from} -> ${edge.to}`);
}

describe('the import graph of src/', () => {
  const { files, edges } = importGraph(ROOT, 'src');

  it('has every file in a layer', () => {
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) expect(() => layerOf(file)).not.toThrow();
  });

  it('points inward only', () => {
    expect(outwardImports(edges)).toEqual([]);
  });

  it('has no circle', () => {
    expect(cyclesOf(files, edges)).toEqual([]);
  });

  it('keeps I/O modules out of the domain', () => {
    const domainIo = files
      .filter((file) => layerOf(file) === 'domain')
      .filter((file) => IO_MODULES.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(domainIo).toEqual([]);
  });

  it('reads the time only through the injected clock (src/application/clock.ts)', () => {
    // the two worker threads' entry files stamp time on their own thread: an injected object cannot cross
    const allowed = new Set([
      'src/application/clock.ts',
      'src/adapters/rtpengine/dtmf-receive-worker.ts',
      'src/adapters/audit/audit-store-worker.ts',
    ]);
    const readsTime = /Date\.now\(|performance\.now\(|performance\.timeOrigin|new Date\(\)/;
    const readers = files
      .filter((file) => !allowed.has(file))
      .filter((file) => readsTime.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(readers).toEqual([]);
  });

  it('sees an outward import and a circle when there is one (the checks can fail)', () => {
    expect(
      outwardImports([{ from: 'src/domain/card/luhn.ts', to: 'src/adapters/rtpengine/ng-client.ts' }]),
    ).toEqual(['src/domain/card/luhn.ts -> src/adapters/rtpengine/ng-client.ts']);
    expect(
      outwardImports([
        { from: 'src/application/calls/call-sync.ts', to: 'src/adapters/kamailio/dialog-list.ts' },
      ]),
    ).toHaveLength(1);
    const circle = [
      { from: 'a.ts', to: 'b.ts', typeOnly: false },
      { from: 'b.ts', to: 'a.ts', typeOnly: true },
    ];
    expect(cyclesOf(['a.ts', 'b.ts'], circle)).toEqual([['a.ts', 'b.ts']]);
  });
});

describe('file sizes', () => {
  /** Source, scripts and test support; test files themselves (tables of cases) are not held to it. */
  function codeFiles(dir: string): string[] {
    return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return codeFiles(path);
      return /\.(ts|mts|js|sh)$/.test(entry.name) || entry.name === 'tonewall' ? [path] : [];
    });
  }

  it('keeps every file of src/, scripts/ and test/support/ at 300 lines or fewer', () => {
    const files = ['src', 'scripts', 'test/support'].flatMap(codeFiles);
    expect(files.length).toBeGreaterThan(200);
    const long = files
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > 300)
      .map(({ file, lines }) => `${file}: ${lines}`);
    expect(long).toEqual([]);
  });
});

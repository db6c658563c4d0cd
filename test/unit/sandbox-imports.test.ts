import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The sandbox processor implements docs/processor-protocol.md on its own: it must not borrow the
 * gateway's connector (src/adapters) or use cases (src/application), or the processor tests would
 * check the gateway against itself. Generic bits (src/errors.ts, src/logger.ts, …) may be shared.
 */

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const FORBIDDEN = ['adapters', 'application'].map((folder) => join(SRC, folder));

/** Module specifiers of static imports, re-exports and dynamic imports in `source`. */
function specifiersIn(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1] ?? '');
  for (const match of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push(match[1] ?? '');
  return found;
}

/** The imports of `file` (with `source`) that resolve into a forbidden folder, as repository paths. */
function outwardImports(file: string, source: string): string[] {
  return specifiersIn(source)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), specifier))
    .filter((target) => FORBIDDEN.some((folder) => target === folder || target.startsWith(`${folder}/`)))
    .map((target) => relative(resolve(SRC, '..'), target));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('src/sandbox imports', () => {
  it('nothing from src/adapters or src/application', () => {
    const files = filesUnder(join(SRC, 'sandbox')).filter((file) => /\.[cm]?ts$/.test(file));
    expect(files.length).toBeGreaterThan(5);
    const found = files.flatMap((file) =>
      outwardImports(file, readFileSync(file, 'utf8')).map((target) => `${relative(SRC, file)} → ${target}`),
    );
    expect(found).toEqual([]);
  });

  it('the check sees every form of import (it goes red on one)', () => {
    const file = join(SRC, 'sandbox', 'example.ts');
    const source = [
      "import { toMinorUnits } from '../adapters/processors/amount.js';",
      "import type { Call } from '../application/calls/call.js';",
      "export { keyIdOf } from '../adapters/processors/key-id.js';",
      "import {\n  a,\n  b,\n} from '../adapters/processors/jwe-wire.js';",
      "const lazy = await import('../adapters/processors/connector.js');",
      "import '../application/side-effect.js';",
      "import { GatewayError } from '../errors.js';",
      "import { PROTOCOL } from './wire-format.js';",
    ].join('\n');
    expect(outwardImports(file, source)).toEqual([
      'src/adapters/processors/amount.js',
      'src/application/calls/call.js',
      'src/adapters/processors/key-id.js',
      'src/adapters/processors/jwe-wire.js',
      'src/adapters/processors/connector.js',
      'src/application/side-effect.js',
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src');

/** The modules `file` loads, following its value imports (not `import type`) through the source tree. */
function importGraph(file: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (path: string) => {
    if (modules.has(path)) return;
    modules.add(path);
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(/^import\s+(?!type\s)(?:[\s\S]*?\sfrom\s+)?'([^']+)';/gm)) {
      const specifier = match[1] as string;
      if (specifier.startsWith('.')) visit(join(dirname(path), specifier).replace(/\.js$/, '.ts'));
      else packages.add(specifier);
    }
  };
  visit(file);
  return { modules, packages };
}

describe('the audit store thread', () => {
  it('loads no zod, pino or JOSE library: only node built-ins and the store (each package costs the thread MiBs)', () => {
    const { modules, packages } = importGraph(join(SRC, 'adapters', 'audit', 'audit-store-worker.ts'));
    expect([...packages].filter((name) => !name.startsWith('node:'))).toEqual([]);
    expect(modules).toContain(join(SRC, 'adapters', 'audit', 'audit-file-store.ts'));
  });
});

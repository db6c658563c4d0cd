/**
 * What a bench leaves: the table and its findings on the terminal, and docs/benchmarks.md (or `out`)
 * generated from the raw figures of this bench and of the others kept beside them.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO_ROOT } from '../../test/support/stack.js';
import { type BenchData, readBenchData, summarise } from './bench-data.js';
import { findings } from './findings.js';
import { benchmarksMarkdown } from './report.js';
import { textTable } from './text-table.js';

export function publish(out: string, data: BenchData, jsonPaths: readonly string[]): void {
  const summaries = summarise(data);
  console.log();
  console.log(
    textTable([
      ...summaries.masked,
      ...summaries.baselines.flatMap((group) => group.filter((level) => level.masking !== 'on')),
    ]),
  );
  console.log();
  for (const line of findings(data, summaries)) console.log(`bench: ${line.replace(/\*\*/g, '')}`);
  mkdirSync(dirname(out), { recursive: true });
  // paths in the repository as the repository's, others (a quick bench's in .run) as they are
  const shown = jsonPaths.map((path) => {
    const inRepo = relative(REPO_ROOT, resolve(path));
    return inRepo.startsWith('..') || inRepo.startsWith('.run') ? resolve(path) : inRepo;
  });
  // the other benches kept next to these (docs/benchmarks/*.json), one line each from their own data
  const dir = dirname(resolve(jsonPaths[0] ?? '.'));
  const used = new Set(jsonPaths.map((path) => resolve(path)));
  const others = readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !used.has(join(dir, name)))
    .sort()
    .flatMap((name) => {
      try {
        return [
          {
            path: relative(REPO_ROOT, join(dir, name)),
            data: readBenchData(readFileSync(join(dir, name), 'utf8')),
          },
        ];
      } catch {
        return [];
      }
    })
    .filter(
      (other) => other.data.version === 2 && !other.path.startsWith('..') && !other.path.startsWith('.run'),
    );
  writeFileSync(out, benchmarksMarkdown(data, shown, others));
  console.log(`bench: wrote ${out}`);
}

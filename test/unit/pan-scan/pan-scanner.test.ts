import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFinding, scanForPans } from '../../../src/adapters/audit/pan-scanner.js';

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'tonewall-pan-'));
  mkdirSync(join(root, 'logs', 'deep'), { recursive: true });
  writeFileSync(join(root, 'logs', 'gateway.log'), '{"level":30,"msg":"payment updated","digits":16}\n');
  writeFileSync(
    join(root, 'logs', 'deep', 'kamailio.log'),
    'INFO: call from +44 7700 900123\nleak 5555-5555-5555-4444\n',
  );
  writeFileSync(
    join(root, 'capture.pcap'),
    Buffer.concat([
      Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 0, 0, 0]),
      Buffer.from('4000 0000 0000 0002'),
      Buffer.from([0]),
    ]),
  );
  symlinkSync(root, join(root, 'logs', 'loop'));
  return root;
}

describe('scanForPans', () => {
  it('recurses folders, reads every file as bytes, does not follow linked folders', async () => {
    const root = tree();
    const result = await scanForPans([root]);
    expect(result.files).toBe(3);
    expect(
      result.findings.map((finding) => [finding.file.slice(root.length + 1), finding.line, finding.masked]),
    ).toEqual([
      ['capture.pcap', 1, '************0002'],
      ['logs/deep/kamailio.log', 2, '************4444'],
    ]);
    expect(formatFinding(result.findings[1] as never)).toMatch(
      /kamailio\.log:2:6 \(byte offset 37\): mastercard \*{12}4444 \(16 digits\)$/,
    );
  });

  it('names a path it cannot read', async () => {
    const result = await scanForPans(['/nonexistent/tonewall']);
    expect(result.unreadable).toEqual(['/nonexistent/tonewall']);
  });
});

describe('scripts/pan-scan.ts', () => {
  const run = (...args: string[]) =>
    spawnSync('npx', ['tsx', 'scripts/pan-scan.ts', ...args], {
      encoding: 'utf8',
      cwd: join(import.meta.dirname, '../../..'),
    });

  it('exits 1 on a find and prints it masked, never the number', () => {
    const root = tree();
    const result = run(root);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('************4444');
    expect(result.stdout + result.stderr).not.toMatch(
      /5555-5555-5555-4444|5555555555554444|4000 0000 0000 0002/,
    );
  });

  it('exits 0 when there is nothing to find, 2 without a path', () => {
    const root = mkdtempSync(join(tmpdir(), 'tonewall-pan-'));
    writeFileSync(join(root, 'clean.log'), 'order 123456 at 1795421943000\n');
    expect(run(root).status).toBe(0);
    expect(run().status).toBe(2);
  });
});

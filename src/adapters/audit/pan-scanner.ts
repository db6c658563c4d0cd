import { createReadStream } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PanFinder, type PanFinding } from '../../domain/audit/audit-pan-finder.js';

export interface PanScanOptions {
  /** Report every Luhn-valid 13–19 digit number, whatever its prefix (more false positives). */
  readonly anyPrefix?: boolean;
}

export interface PanScanFinding extends PanFinding {
  readonly file: string;
}

export interface PanScanResult {
  readonly files: number;
  readonly bytes: number;
  readonly findings: readonly PanScanFinding[];
  /** Paths that could not be read (named; the scan goes on). */
  readonly unreadable: readonly string[];
}

/**
 * Scans files and folders (recursing) for card numbers, every file as bytes: text logs, JSON lines,
 * pcaps. Symbolic links to files are read; links to folders are not followed (no loops), nor are
 * devices, sockets or pipes read.
 */
export async function scanForPans(
  paths: readonly string[],
  options: PanScanOptions = {},
): Promise<PanScanResult> {
  const findings: PanScanFinding[] = [];
  const unreadable: string[] = [];
  let files = 0;
  let bytes = 0;

  const scanFile = async (path: string) => {
    const finder = new PanFinder(options);
    try {
      for await (const chunk of createReadStream(path)) {
        finder.push(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
    } catch {
      unreadable.push(path);
      return;
    }
    files += 1;
    for (const finding of finder.end()) findings.push({ file: path, ...finding });
  };

  const visit = async (path: string, top: boolean): Promise<void> => {
    let info: Awaited<ReturnType<typeof lstat>>;
    try {
      info = await lstat(path);
      if (info.isSymbolicLink()) {
        const target = await stat(path);
        if (target.isFile()) await scanFile(path);
        else if (top && target.isDirectory()) await visitDirectory(path);
        return;
      }
    } catch {
      unreadable.push(path);
      return;
    }
    if (info.isDirectory()) await visitDirectory(path);
    else if (info.isFile()) await scanFile(path);
  };

  const visitDirectory = async (path: string) => {
    let names: string[];
    try {
      names = (await readdir(path)).sort();
    } catch {
      unreadable.push(path);
      return;
    }
    for (const name of names) await visit(join(path, name), false);
  };

  for (const path of paths) await visit(path, true);
  return { files, bytes, findings, unreadable };
}

/** One line per finding: `file:line:column (byte offset N): brand ****…1234 (16 digits)`. */
export function formatFinding(finding: PanScanFinding): string {
  const brand = finding.brand ?? 'card number';
  return `${finding.file}:${finding.line}:${finding.column} (byte offset ${finding.offset}): ${brand} ${finding.masked} (${finding.length} digits)`;
}

import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AuditChainCheck, type AuditCheckResult } from '../../application/audit/verify/audit-chain-check.js';
import type { AuditLocation } from '../../application/audit/verify/audit-problems.js';
import { type AuditHead, type AuditRecord, recordText } from '../../domain/audit/audit-record.js';
import { sha256Hex } from '../../domain/sha256.js';
import { GatewayError } from '../../errors.js';
import type { AuditKeyring } from './audit-keyring.js';
import { parseHead, parseRecordLine } from './audit-parser.js';
import { HEAD_FILE, isSegmentName, listSegments, readLines } from './audit-segments.js';

export interface VerifyAuditLogOptions {
  /** Log directories and/or segment files (and optionally an `audit-head.json`). */
  readonly paths: readonly string[];
  readonly keyring: AuditKeyring;
  /** Fail when no signed head is found (default true): without it, records cut from the end go unseen. */
  readonly requireHead?: boolean;
  /** Fail unless the log starts at record 0 (default true); false to check some files of a log. */
  readonly requireGenesis?: boolean;
  /** Sees every readable record in file order, and whether its signature verified. */
  readonly onRecord?: (record: AuditRecord, signed: boolean) => void;
}

export interface AuditVerification extends AuditCheckResult {
  /** The segment files checked, in the order they were read. */
  readonly files: readonly string[];
}

interface Inputs {
  readonly segments: string[];
  readonly head: string | undefined;
}

async function expand(paths: readonly string[]): Promise<Inputs> {
  const segments: string[] = [];
  let head: string | undefined;
  const directories = new Set<string>();
  for (const path of paths) {
    let directory: boolean;
    try {
      directory = (await stat(path)).isDirectory();
    } catch (error) {
      throw new GatewayError('GW_ERR_AUDIT_LOG', 'an audit log path cannot be read', { cause: error });
    }
    if (directory) {
      segments.push(...(await listSegments(path)));
      directories.add(path);
    } else if (basename(path) === HEAD_FILE) {
      head = path;
    } else {
      segments.push(path);
      directories.add(dirname(path));
    }
  }
  // Segment names sort in log order; a file of another name keeps its place after them.
  segments.sort((a, b) => {
    const named = Number(isSegmentName(basename(b))) - Number(isSegmentName(basename(a)));
    return named !== 0 ? named : basename(a).localeCompare(basename(b));
  });
  if (head === undefined && directories.size === 1) {
    const [only] = directories;
    if (only !== undefined) head = join(only, HEAD_FILE);
  }
  return { segments: [...new Set(segments)], head };
}

async function loadHead(
  path: string | undefined,
): Promise<{ head: AuditHead; location: AuditLocation } | 'missing' | 'unreadable'> {
  if (path === undefined) return 'missing';
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return 'missing';
  }
  const head = parseHead(text);
  return head === undefined ? 'unreadable' : { head, location: { file: basename(path) } };
}

/**
 * Checks an audit log offline with only its public keys: every signature, the hash chain from record
 * to record and file to file, the sequence numbers, key rotations, and the signed head. Reads the
 * files as streams, so a year of logs needs no more memory than a day.
 */
export async function verifyAuditLog(options: VerifyAuditLogOptions): Promise<AuditVerification> {
  const inputs = await expand(options.paths);
  const requireHead = options.requireHead ?? true;
  const loaded = await loadHead(inputs.head);
  const check = new AuditChainCheck({
    hash: sha256Hex,
    verify: (kid, input, signature, at) => options.keyring.verify(kid, input, signature, at),
    requireGenesis: options.requireGenesis ?? true,
    head: typeof loaded === 'object' ? loaded : requireHead ? 'missing' : undefined,
  });
  for (const path of inputs.segments) {
    const file = basename(path);
    for await (const line of readLines(path)) {
      const record = parseRecordLine(line.text);
      const location = { file, line: line.line };
      if (record === undefined) {
        check.line({ kind: 'unreadable', terminated: line.terminated }, location, line.last);
        continue;
      }
      // what was signed is the canonical text: any other bytes are an edit, even if they parse the same
      if (recordText(record) !== line.text) {
        check.line({ kind: 'non-canonical', terminated: line.terminated }, location, line.last);
        continue;
      }
      const signed = check.line({ kind: 'record', record, terminated: line.terminated }, location, line.last);
      options.onRecord?.(record, signed);
    }
  }
  const result = check.finish();
  if (loaded === 'unreadable' && requireHead) {
    return {
      ...result,
      ok: false,
      head: 'bad',
      problems: [
        ...result.problems,
        { kind: 'head', file: HEAD_FILE, message: `${HEAD_FILE} is not a signed head` },
      ],
      files: inputs.segments.map((path) => basename(path)),
    };
  }
  return { ...result, files: inputs.segments.map((path) => basename(path)) };
}

/**
 * Offline verification as a use case over records, without files or keys: the hash is SHA-256, the
 * "signature" a tagged hash that the fake keyring recomputes. The contract tests
 * (test/contract/audit/audit-log.test.ts) run the same check over real files and Ed25519 keys.
 */
import { describe, expect, it } from 'vitest';
import {
  AuditChainCheck,
  type AuditCheckResult,
} from '../../../src/application/audit/verify/audit-chain-check.js';
import type { AuditProblemKind } from '../../../src/application/audit/verify/audit-problems.js';
import type { VerifySignature } from '../../../src/application/audit/verify/verify-ports.js';
import {
  type AuditEntry,
  type AuditHead,
  type AuditRecord,
  headSigningInput,
  nextRecord,
  recordText,
  signingInput,
} from '../../../src/domain/audit/audit-record.js';
import { sha256Hex } from '../../../src/domain/sha256.js';

const KEYS = new Set(['k1', 'k2']);
const fakeSign = (kid: string, input: string) => `${kid}:${sha256Hex(input)}`;
const fakeVerify: VerifySignature = (kid, input, signature) =>
  !KEYS.has(kid) ? 'unknown-key' : signature === fakeSign(kid, input) ? 'ok' : 'bad';

const entry = (type: AuditEntry['type'], data: AuditEntry['data'] = {}): AuditEntry => ({
  type,
  actor: 'system:gateway',
  data,
});

/** A well-formed log of `count` records, signed by `kid`, one second apart. */
function log(count: number, kid = 'k1'): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let index = 0; index < count; index += 1) {
    const last = records.at(-1);
    const head = last === undefined ? undefined : { seq: last.seq, hash: sha256Hex(recordText(last)) };
    const type = index === 0 ? 'log.opened' : 'call.answered';
    const unsigned = nextRecord(head, entry(type), { now: 1_800_000_000_000 + index * 1000, kid });
    records.push({ ...unsigned, sig: fakeSign(kid, signingInput(unsigned)) });
  }
  return records;
}

function resign(record: Omit<AuditRecord, 'sig'>): AuditRecord {
  return { ...record, sig: fakeSign(record.kid, signingInput(record as AuditRecord)) };
}

function headFor(record: AuditRecord, kid = 'k1'): AuditHead {
  const unsigned = {
    v: 1 as const,
    type: 'audit.head' as const,
    seq: record.seq,
    hash: sha256Hex(recordText(record)),
    file: 'audit-a.jsonl',
    at: record.at,
    kid,
  };
  return { ...unsigned, sig: fakeSign(kid, headSigningInput(unsigned)) };
}

function check(
  records: readonly AuditRecord[],
  options: { head?: AuditHead | 'missing'; requireGenesis?: boolean } = {},
): AuditCheckResult {
  const checker = new AuditChainCheck({
    hash: sha256Hex,
    verify: fakeVerify,
    requireGenesis: options.requireGenesis ?? true,
    head:
      options.head === undefined || options.head === 'missing'
        ? options.head
        : { head: options.head, location: { file: 'audit-head.json' } },
  });
  records.forEach((record, index) => {
    checker.line(
      { kind: 'record', record, terminated: true },
      { file: 'audit-a.jsonl', line: index + 1 },
      index === records.length - 1,
    );
  });
  return checker.finish();
}

const kinds = (result: AuditCheckResult): AuditProblemKind[] => result.problems.map((p) => p.kind);

describe('offline verification of an audit log (the use case, no I/O)', () => {
  it('passes a whole log with its head, and tells its range and keys', () => {
    const records = log(5);
    const result = check(records, { head: headFor(records[4] as AuditRecord) });
    expect(result).toMatchObject({ ok: true, records: 5, firstSeq: 0, lastSeq: 4, keys: ['k1'], head: 'ok' });
    expect(result.problems).toEqual([]);
  });

  const tampered: [
    string,
    (records: AuditRecord[]) => AuditRecord[],
    AuditProblemKind,
    number | undefined,
  ][] = [
    ['an edited record', (r) => r.map((x) => (x.seq === 2 ? { ...x, actor: 'agent:7' } : x)), 'edited', 2],
    ['a deleted record', (r) => r.filter((x) => x.seq !== 2), 'deleted', 2],
    ['two records swapped', (r) => [r[0], r[2], r[1], r[3], r[4]] as AuditRecord[], 'reordered', 2],
    ['a repeated record', (r) => [...r.slice(0, 4), r[2], r[4]] as AuditRecord[], 'reordered', 2],
    [
      'a record signed by a key not given',
      (r) => r.map((x) => (x.seq === 3 ? resign({ ...x, kid: 'k9' }) : x)),
      'unknown-key',
      3,
    ],
    [
      'a re-signed record that does not link to the one before',
      (r) => r.map((x) => (x.seq === 3 ? resign({ ...x, prev: 'f'.repeat(64) }) : x)),
      'chain',
      3,
    ],
    [
      'a key change without key.rotated',
      (r) => r.map((x) => (x.seq >= 3 ? resign({ ...x, kid: 'k2' }) : x)),
      'key-change',
      3,
    ],
  ];

  it.each(tampered)('names %s', (_name, tamper, kind, seq) => {
    const result = check(tamper(log(5)), { requireGenesis: true });
    expect(result.ok).toBe(false);
    expect(result.problems.find((problem) => problem.kind === kind)).toMatchObject({ kind, seq });
  });

  it('names records cut from the end against the signed head', () => {
    const records = log(6);
    const result = check(records.slice(0, 4), { head: headFor(records[5] as AuditRecord) });
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'truncated', seq: 4 })]);
  });

  it('names a missing head (when required), a head that fails its signature or names another record', () => {
    const records = log(3);
    expect(kinds(check(records, { head: 'missing' }))).toEqual(['head']);
    const forged = { ...headFor(records[2] as AuditRecord), seq: 1 };
    expect(check(records, { head: forged })).toMatchObject({ head: 'bad', problems: [{ kind: 'head' }] });
    const other = { ...headFor(records[2] as AuditRecord), hash: 'e'.repeat(64) };
    expect(
      check(records, { head: { ...other, sig: fakeSign('k1', headSigningInput(other)) } }),
    ).toMatchObject({
      head: 'bad',
      problems: [{ kind: 'head', seq: 2 }],
    });
  });

  it('names records missing before the first when the log must start at 0, not otherwise', () => {
    const records = log(5).slice(2);
    expect(check(records).problems).toEqual([expect.objectContaining({ kind: 'deleted', seq: 0 })]);
    expect(check(records, { requireGenesis: false }).ok).toBe(true);
  });

  it('sorts problems by sequence number', () => {
    const records = log(6).map((x) => (x.seq === 4 ? { ...x, actor: 'x' } : x));
    const result = check(records.filter((x) => x.seq !== 1));
    expect(result.problems.map((p) => [p.kind, p.seq])).toEqual([
      ['deleted', 1],
      ['edited', 4],
    ]);
  });
});

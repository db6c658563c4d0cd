import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditFileStore } from '../../../src/adapters/audit/audit-file-store.js';
import { AuditKeyring } from '../../../src/adapters/audit/audit-keyring.js';
import type { RecordSigner } from '../../../src/adapters/audit/audit-record-signer.js';
import { listSegments } from '../../../src/adapters/audit/audit-segments.js';
import { AuditSigner } from '../../../src/adapters/audit/audit-signer.js';
import { verifyAuditLog } from '../../../src/adapters/audit/audit-verifier.js';
import type { AuditProblem, AuditProblemKind } from '../../../src/application/audit/verify/audit-problems.js';
import type { FakeTime } from '../../support/fake-time.js';
import { entry, makeKey, openLog, tempDir, verifyDir } from './support.js';

/** A closed log of `count` action records (plus log.opened and log.closed), in one file unless told. */
async function writtenLog(count: number, options: { maxFileBytes?: number } = {}) {
  const log = await openLog(options);
  for (let n = 0; n < count; n += 1) await log.store.append(entry(n));
  await log.store.close();
  const files = await listSegments(log.dir);
  return { ...log, files };
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

function writeLines(file: string, content: string[]): void {
  writeFileSync(file, `${content.join('\n')}\n`);
}

/** The gateway starting again on the same log directory, with the same or another signing key. */
function reopen(
  log: { dir: string; signer: AuditSigner; time: FakeTime },
  signer: AuditSigner = log.signer,
  previousSigner?: RecordSigner,
) {
  return AuditFileStore.open({
    directory: log.dir,
    signer,
    ...(previousSigner ? { previousSigner } : {}),
    maxFileBytes: 1 << 20,
    clock: log.time,
  });
}

function firstOf(problems: readonly AuditProblem[], kind: AuditProblemKind): AuditProblem | undefined {
  return problems.find((problem) => problem.kind === kind);
}

describe('audit log: store and offline verifier', () => {
  it('an untouched log verifies, record 0 to the log.closed record, with its signed head', async () => {
    const log = await writtenLog(5);
    const result = await verifyDir(log.dir, log.keys);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({
      ok: true,
      records: 7,
      firstSeq: 0,
      lastSeq: 6,
      head: 'ok',
      keys: [log.signer.kid],
    });
    const records = lines(log.files[0] as string).map((line) => JSON.parse(line));
    expect(records.map((record) => record.type)).toEqual([
      'log.opened',
      ...Array(5).fill('api.action'),
      'log.closed',
    ]);
    expect(records[0].prev).toBe('0'.repeat(64));
  });

  it('append resolves only once the record is in the file', async () => {
    const log = await openLog();
    const record = await log.store.append(entry(1));
    const [file] = await listSegments(log.dir);
    expect(lines(file as string).map((line) => JSON.parse(line).seq)).toContain(record.seq);
    await log.store.close();
  });

  it('names an edited record', async () => {
    const log = await writtenLog(5);
    const file = log.files[0] as string;
    const content = lines(file);
    content[3] = (content[3] as string).replace('"allowed"', '"denied"');
    writeLines(file, content);
    const result = await verifyDir(log.dir, log.keys);
    expect(result.ok).toBe(false);
    expect(firstOf(result.problems, 'edited')).toMatchObject({ seq: 3, line: 4 });
    expect(result.problems).toHaveLength(1);
  });

  it('names a record edited into something that is no record', async () => {
    const log = await writtenLog(5);
    const file = log.files[0] as string;
    const content = lines(file);
    content[2] = '{"oops":';
    writeLines(file, content);
    const result = await verifyDir(log.dir, log.keys);
    expect(firstOf(result.problems, 'edited')).toMatchObject({ seq: 2, line: 3 });
  });

  it.each([
    // JSON.parse keeps the last of two equal keys: the forged actor would be read, the signed one checked
    ['a duplicate key with a forged value', (line: string) => line.replace('{', '{"actor":"agent:mallory",')],
    ['a space', (line: string) => line.replace('","', '", "')],
    [
      'keys reordered',
      (line: string) => {
        const { actor, ...rest } = JSON.parse(line) as Record<string, unknown>;
        return JSON.stringify({ ...rest, actor });
      },
    ],
  ])('names a signed record whose bytes are not its canonical text: %s', async (_name, edit) => {
    const log = await writtenLog(5);
    const file = log.files[0] as string;
    const content = lines(file);
    const edited = edit(content[3] as string);
    expect(edited).not.toBe(content[3]);
    // it still parses to a record whose signature verifies
    expect(JSON.parse(edited).sig).toBe(JSON.parse(content[3] as string).sig);
    content[3] = edited;
    writeLines(file, content);
    const result = await verifyDir(log.dir, log.keys);
    expect(result.ok).toBe(false);
    expect(firstOf(result.problems, 'edited')).toMatchObject({ seq: 3, line: 4 });
    expect(firstOf(result.problems, 'edited')?.message).toContain('canonical text');
  });

  it('names a deletion', async () => {
    const log = await writtenLog(5);
    const file = log.files[0] as string;
    const content = lines(file);
    content.splice(2, 1);
    writeLines(file, content);
    const result = await verifyDir(log.dir, log.keys);
    expect(result.ok).toBe(false);
    expect(firstOf(result.problems, 'deleted')).toMatchObject({ seq: 2, line: 3 });
    expect(result.problems.map((problem) => problem.kind)).toEqual(['deleted']);
  });

  it('names a reordering', async () => {
    const log = await writtenLog(5);
    const file = log.files[0] as string;
    const content = lines(file);
    [content[2], content[3]] = [content[3] as string, content[2] as string];
    writeLines(file, content);
    const result = await verifyDir(log.dir, log.keys);
    expect(result.ok).toBe(false);
    expect(result.problems.map((problem) => problem.kind)).toEqual(['reordered']);
    expect(firstOf(result.problems, 'reordered')).toMatchObject({ seq: 3, line: 3 });
  });

  it('names a torn last line', async () => {
    const log = await writtenLog(5);
    const file = log.files[0] as string;
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.length - 40));
    const result = await verifyDir(log.dir, log.keys);
    expect(result.ok).toBe(false);
    expect(firstOf(result.problems, 'truncated')).toMatchObject({ line: 7, seq: 6 });
  });

  it('names records cut cleanly from the end, by the signed head', async () => {
    const log = await writtenLog(5);
    const file = log.files[0] as string;
    writeLines(file, lines(file).slice(0, 4));
    const result = await verifyDir(log.dir, log.keys);
    expect(result.ok).toBe(false);
    expect(firstOf(result.problems, 'truncated')).toMatchObject({ seq: 4 });
    expect(firstOf(result.problems, 'truncated')?.message).toMatch(/records 4–6 missing at the end/);
  });

  it('names a whole file missing from the middle, and the last file missing', async () => {
    const log = await writtenLog(40, { maxFileBytes: 2048 });
    expect(log.files.length).toBeGreaterThan(3);
    const intact = await verifyDir(log.dir, log.keys);
    expect(intact.ok).toBe(true);

    const middle = log.files[1] as string;
    const middleFirst = JSON.parse(lines(middle)[0] as string).seq;
    rmSync(middle);
    const withoutMiddle = await verifyDir(log.dir, log.keys);
    expect(firstOf(withoutMiddle.problems, 'deleted')).toMatchObject({ seq: middleFirst });
    expect(firstOf(withoutMiddle.problems, 'deleted')?.message).toContain(readdirSync(log.dir).sort()[1]);

    const last = log.files[log.files.length - 1] as string;
    const lastFirst = JSON.parse(lines(last)[0] as string).seq;
    rmSync(last);
    const withoutLast = await verifyDir(log.dir, log.keys);
    expect(firstOf(withoutLast.problems, 'truncated')).toMatchObject({ seq: lastFirst });
  });

  it('names a missing first file, and a missing head when the head is required', async () => {
    const log = await writtenLog(40, { maxFileBytes: 2048 });
    rmSync(log.files[0] as string);
    const result = await verifyDir(log.dir, log.keys);
    expect(firstOf(result.problems, 'deleted')).toMatchObject({ seq: 0 });

    const other = await writtenLog(3);
    rmSync(join(other.dir, 'audit-head.json'));
    const headless = await verifyDir(other.dir, other.keys);
    expect(firstOf(headless.problems, 'head')).toBeDefined();
    expect((await verifyDir(other.dir, other.keys, { requireHead: false })).ok).toBe(true);
  });

  it('fails records signed by a key it was not given', async () => {
    const log = await writtenLog(2);
    const strangers = tempDir('keys');
    makeKey(strangers, 'other');
    const result = await verifyDir(log.dir, strangers);
    expect(firstOf(result.problems, 'unknown-key')).toMatchObject({ seq: 0 });
  });

  it('rotates the signing key in flight without breaking the chain', async () => {
    const log = await openLog();
    await log.store.append(entry(1));
    const next = makeKey(log.keys, 'audit-signing-2');
    const signer = await AuditSigner.fromFile(next.privateFile);
    const rotation = await log.store.rotateKey(signer);
    expect(rotation).toMatchObject({
      type: 'key.rotated',
      kid: signer.kid,
      data: { previousKid: log.signer.kid, endorsement: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/) },
    });
    await log.store.append(entry(2));
    await log.store.close();
    const result = await verifyDir(log.dir, log.keys);
    expect(result.problems).toEqual([]);
    expect([...result.keys].sort()).toEqual([log.signer.kid, signer.kid].sort());
  });

  it('rotates the key across a restart (new key file) only with the previous key, which cross-signs it', async () => {
    const log = await openLog();
    await log.store.append(entry(1));
    await log.store.close();
    const next = makeKey(log.keys, 'audit-signing-2');
    const nextSigner = await AuditSigner.fromFile(next.privateFile);
    await expect(reopen(log, nextSigner)).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_KEY' });
    const store = await reopen(log, nextSigner, log.signer);
    await store.append(entry(2));
    await store.close();
    const files = await listSegments(log.dir);
    expect(files).toHaveLength(2);
    const second = lines(files[1] as string).map((line) => JSON.parse(line));
    expect(second.map((record) => record.type)).toEqual([
      'key.rotated',
      'log.opened',
      'api.action',
      'log.closed',
    ]);
    expect(second[0].seq).toBe(3);
    expect(second[0].data.previousKid).toBe(log.signer.kid);
    expect((await verifyDir(log.dir, log.keys)).problems).toEqual([]);
  });

  it("names a rotation the previous key did not sign (a log re-signed under a key of the operator's choosing)", async () => {
    const log = await openLog();
    await log.store.append(entry(1));
    await log.store.close();
    const next = makeKey(log.keys, 'audit-signing-2');
    const nextSigner = await AuditSigner.fromFile(next.privateFile);
    // claims to be the old key, signs with the new one
    const impostor: RecordSigner = { kid: log.signer.kid, sign: (input) => nextSigner.sign(input) };
    const store = await reopen(log, nextSigner, impostor);
    await store.close();
    const result = await verifyDir(log.dir, log.keys);
    expect(result.ok).toBe(false);
    expect(firstOf(result.problems, 'key-change')?.message).toContain('not cross-signed');
  });

  it('a pinned keyring trusts its keys only within their windows, and nothing else in the folder', async () => {
    const log = await writtenLog(2);
    const first = JSON.parse(lines(log.files[0] as string)[0] as string) as { at: string };
    const keyring = (notBefore: string, notAfter?: string) => {
      const file = join(log.keys, `keyring-${notBefore.slice(0, 19).replace(/\D/g, '')}.json`);
      const publicKey = readFileSync(log.key.publicFile, 'utf8');
      writeFileSync(
        file,
        JSON.stringify({ version: 1, keys: [{ publicKey, notBefore, ...(notAfter ? { notAfter } : {}) }] }),
      );
      return file;
    };
    const verifyWith = async (file: string) =>
      verifyAuditLog({ paths: [log.dir], keyring: await AuditKeyring.load([file]) });
    // pinned from before the first record: verifies
    expect((await verifyWith(keyring('2000-01-01T00:00:00.000Z'))).problems).toEqual([]);
    // pinned only from after the log was written: every record is outside the window
    const late = await verifyWith(keyring(new Date(Date.parse(first.at) + 3_600_000).toISOString()));
    expect(firstOf(late.problems, 'unknown-key')?.message).toContain('validity window');
    // retired before the log was written
    const retired = await verifyWith(keyring('2000-01-01T00:00:00.000Z', '2001-01-01T00:00:00.000Z'));
    expect(retired.ok).toBe(false);
    // a key someone dropped into the folder and re-signed the log with is not in the pinned keyring
    const intruder = makeKey(log.keys, 'intruder');
    const resignedDir = tempDir('audit');
    const resigned = await AuditFileStore.open({
      directory: resignedDir,
      signer: await AuditSigner.fromFile(intruder.privateFile),
      maxFileBytes: 1 << 20,
      clock: log.time,
    });
    await resigned.append(entry(1));
    await resigned.close();
    const pinned = keyring('2000-01-01T00:00:00.000Z');
    const viaFolder = await verifyAuditLog({
      paths: [resignedDir],
      keyring: await AuditKeyring.load([log.keys]),
    });
    expect(viaFolder.ok).toBe(true); // every *.pem in the folder: the intruder's too
    const viaPinned = await verifyAuditLog({
      paths: [resignedDir],
      keyring: await AuditKeyring.load([pinned]),
    });
    expect(firstOf(viaPinned.problems, 'unknown-key')).toBeDefined();
  });

  it('a key change without a key.rotated record is named', async () => {
    const log = await writtenLog(1);
    const next = makeKey(log.keys, 'audit-signing-2');
    const store = await reopen(log, await AuditSigner.fromFile(next.privateFile), log.signer);
    await store.close();
    const files = await listSegments(log.dir);
    const file = files[1] as string;
    writeLines(file, lines(file).slice(1)); // drop key.rotated; later records keep their seq
    const result = await verifyDir(log.dir, log.keys);
    expect(firstOf(result.problems, 'key-change')).toBeDefined();
    expect(firstOf(result.problems, 'deleted')).toMatchObject({ seq: 3 });
  });

  it('rotates files at each UTC day; the first record of a file links to the last of the one before', async () => {
    const log = await openLog({ maxFileBytes: 4096 });
    for (let n = 0; n < 3; n += 1) await log.store.append(entry(n));
    log.time.advance(24 * 3600_000);
    await log.store.append(entry(3));
    await log.store.close();
    const files = await listSegments(log.dir);
    expect(files.map((file) => file.slice(-14))).toEqual(['20261123.jsonl', '20261124.jsonl']);
    expect((await verifyDir(log.dir, log.keys)).ok).toBe(true);
  });

  it('on restart cuts a torn last line (never acknowledged), says so, and the log verifies', async () => {
    const log = await writtenLog(3);
    const file = log.files[0] as string;
    const torn = '{"v":1,"seq":5,"at":"20';
    writeFileSync(file, `${readFileSync(file, 'utf8')}${torn}`);
    const store = await reopen(log);
    await store.close();
    const files = await listSegments(log.dir);
    const opened = JSON.parse(lines(files[1] as string)[0] as string);
    expect(opened).toMatchObject({
      type: 'log.opened',
      seq: 5,
      data: { tornBytes: torn.length, resumedFrom: 4 },
    });
    expect((await verifyDir(log.dir, log.keys)).problems).toEqual([]);
  });

  it('on restart after records were cut, records the head it found in log.opened, which verify names', async () => {
    const log = await writtenLog(5);
    const file = log.files[0] as string;
    writeLines(file, lines(file).slice(0, 4));
    const store = await reopen(log);
    await store.close();
    const result = await verifyDir(log.dir, log.keys);
    expect(result.ok).toBe(false);
    expect(firstOf(result.problems, 'truncated')).toMatchObject({ seq: 4 });
    expect(firstOf(result.problems, 'truncated')?.message).toMatch(/shorter than its signed head/);
  });

  it('rejects every record after a failed write (fail-closed)', async () => {
    const log = await openLog();
    rmSync(log.dir, { recursive: true });
    writeFileSync(log.dir, 'not a directory');
    log.time.advance(24 * 3600_000); // forces a new segment file, which cannot be made
    await expect(log.store.append(entry(1))).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_WRITE' });
    expect(log.store.failure?.code).toBe('GW_ERR_AUDIT_WRITE');
    await expect(log.store.append(entry(2))).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_WRITE' });
  });
});

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { listSegments } from '../../../src/adapters/audit/audit-segments.js';
import { AuditSigner } from '../../../src/adapters/audit/audit-signer.js';
import { AuditStoreThread } from '../../../src/adapters/audit/audit-store-thread.js';
import type { GatewayError } from '../../../src/errors.js';
import { FakeTime } from '../../support/fake-time.js';
import { entry, makeKey, tempDir, verifyDir } from './support.js';

interface Opened {
  readonly dir: string;
  readonly keys: string;
  readonly time: FakeTime;
  readonly signer: AuditSigner;
  readonly thread: AuditStoreThread;
  readonly worker: Worker;
  readonly failures: GatewayError[];
}

const open: AuditStoreThread[] = [];

afterEach(async () => {
  // a test that failed half-way leaves no thread running
  await Promise.all(open.splice(0).map((thread) => thread.close().catch(() => undefined)));
});

/** A log on the store's thread; `dir`, `keys`, `time` and `signer` continue an earlier one when given. */
async function openThread(
  options: { dir?: string; keys?: string; time?: FakeTime; signer?: AuditSigner } = {},
): Promise<Opened> {
  const dir = options.dir ?? tempDir('audit');
  const keys = options.keys ?? tempDir('keys');
  const time = options.time ?? new FakeTime();
  const signer = options.signer ?? (await AuditSigner.fromFile(makeKey(keys, 'audit-signing').privateFile));
  const failures: GatewayError[] = [];
  let worker: Worker | undefined;
  const thread = await AuditStoreThread.open({
    directory: dir,
    signer,
    maxFileBytes: 1 << 20,
    clock: time,
    onFailure: (error) => failures.push(error),
    onWorker: (started) => {
      worker = started;
    },
  });
  open.push(thread);
  if (worker === undefined) throw new Error('no worker seen');
  return { dir, keys, time, signer, thread, worker, failures };
}

function records(file: string): Array<Record<string, unknown> & { seq: number; type: string }> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));
}

async function allRecords(dir: string) {
  return (await listSegments(dir)).flatMap(records);
}

describe('audit log on its own thread (AuditStoreThread)', () => {
  it('chains records in the order append was called, each stamped when it was called, and they verify', async () => {
    const log = await openThread();
    const appended: Array<Promise<void>> = [];
    // a burst from one turn of the event loop, then appends spread over turns, the clock moving between
    for (let n = 0; n < 300; n += 1) {
      appended.push(log.thread.append(entry(n)));
      log.time.advance(1);
    }
    for (let n = 300; n < 400; n += 1) {
      appended.push(log.thread.append(entry(n)));
      log.time.advance(1);
      if (n % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(appended);
    await log.thread.close();

    const written = await allRecords(log.dir);
    expect(written.map((record) => record.type)).toEqual([
      'log.opened',
      ...Array(400).fill('api.action'),
      'log.closed',
    ]);
    expect(written.map((record) => record.seq)).toEqual(written.map((_, index) => index));
    const start = new FakeTime().now();
    for (let n = 0; n < 400; n += 1) {
      expect(written[n + 1]).toMatchObject({ callId: `CA${n}`, at: new Date(start + n).toISOString() });
    }
    expect(written[401]?.at).toBe(new Date(start + 400).toISOString());
    const verified = await verifyDir(log.dir, log.keys);
    expect(verified.problems).toEqual([]);
    expect(verified).toMatchObject({ ok: true, records: 402, head: 'ok' });
  });

  it('append resolves once its record is in the file; durable() once every record appended before it is', async () => {
    const log = await openThread();
    await log.thread.append(entry(1));
    const [file] = await listSegments(log.dir);
    expect(records(file as string).map((record) => record.callId)).toContain('CA1');

    for (let n = 2; n < 50; n += 1) void log.thread.append(entry(n));
    await log.thread.durable();
    expect(records(file as string)).toHaveLength(50); // log.opened and 49 actions
    expect(log.thread.lastSeq).toBe(49);
    await log.thread.close();
  });

  it('durable() during a close answers with the close: only once the records before it are on disk', async () => {
    const log = await openThread();
    const order: string[] = [];
    const appended = log.thread.append(entry(1)).then(() => order.push('append'));
    const closed = log.thread.close().then(() => order.push('close'));
    await log.thread.durable().then(() => order.push('durable'));
    await Promise.all([appended, closed]);
    expect(order).toEqual(['append', 'close', 'durable']);
    const [file] = await listSegments(log.dir);
    expect(records(file as string).map((record) => record.type)).toEqual([
      'log.opened',
      'api.action',
      'log.closed',
    ]);
    // a second close gets the first one's outcome, after it
    await expect(log.thread.close()).resolves.toBeUndefined();
  });

  it('close() writes log.closed and ends the thread; a reopened log continues the chain', async () => {
    const log = await openThread();
    await log.thread.append(entry(1));
    const exited = new Promise<number>((resolve) => log.worker.once('exit', resolve));
    await log.thread.close();
    await exited;
    await expect(log.thread.append(entry(2))).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_WRITE' });
    expect(log.thread.failure).toBeUndefined();
    await log.thread.close(); // twice is fine

    const again = await openThread({ dir: log.dir, keys: log.keys, time: log.time, signer: log.signer });
    expect(again.thread.lastSeq).toBe(3);
    await again.thread.append(entry(3));
    await again.thread.close();

    const files = await listSegments(log.dir);
    expect(files).toHaveLength(2);
    expect(records(files[0] as string).map((record) => record.type)).toEqual([
      'log.opened',
      'api.action',
      'log.closed',
    ]);
    expect(records(files[1] as string)).toMatchObject([
      { type: 'log.opened', seq: 3, data: { resumedFrom: 2 } },
      { type: 'api.action', seq: 4 },
      { type: 'log.closed', seq: 5 },
    ]);
    expect((await verifyDir(log.dir, log.keys)).problems).toEqual([]);
  });

  it('rotates the signing key on the thread without breaking the chain; the key in use is refused alone', async () => {
    const log = await openThread();
    await log.thread.append(entry(1));
    await expect(log.thread.rotateKey(log.signer)).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_KEY' });
    const next = await AuditSigner.fromFile(makeKey(log.keys, 'audit-signing-2').privateFile);
    await log.thread.rotateKey(next);
    await log.thread.append(entry(2));
    await log.thread.close();
    const written = await allRecords(log.dir);
    expect(written.map((record) => [record.type, record.kid])).toEqual([
      ['log.opened', log.signer.kid],
      ['api.action', log.signer.kid],
      ['key.rotated', next.kid],
      ['api.action', next.kid],
      ['log.closed', next.kid],
    ]);
    const verified = await verifyDir(log.dir, log.keys);
    expect(verified.problems).toEqual([]);
  });

  it('refuses a record too large to be one, alone; the log goes on', async () => {
    const log = await openThread();
    const huge = { ...entry(1), data: { note: 'x'.repeat(70 * 1024) } };
    await expect(log.thread.append(huge)).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_WRITE' });
    expect(log.thread.failure).toBeUndefined();
    await log.thread.append(entry(2));
    await log.thread.close();
    expect((await verifyDir(log.dir, log.keys)).problems).toEqual([]);
  });

  it('a failed write fails that record, durable() and every later record (fail-closed)', async () => {
    const log = await openThread();
    rmSync(log.dir, { recursive: true });
    writeFileSync(log.dir, 'not a directory');
    log.time.advance(24 * 3600_000); // forces a new segment file, which cannot be made
    await expect(log.thread.append(entry(1))).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_WRITE' });
    expect(log.thread.failure?.code).toBe('GW_ERR_AUDIT_WRITE');
    await expect(log.thread.durable()).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_WRITE' });
    await expect(log.thread.append(entry(2))).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_WRITE' });
    expect(log.failures.map((failure) => failure.code)).toEqual(['GW_ERR_AUDIT_WRITE']);
    await expect(log.thread.close()).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_WRITE' });
  });

  it.each([
    ['ended', (worker: Worker) => void worker.terminate()],
    ['crashed', (worker: Worker) => worker.postMessage([{ type: 'no-such-request' }])],
  ])('a thread that %s fails the log: pending and later records, durable() (fail-closed)', async (_, end) => {
    const log = await openThread();
    await log.thread.append(entry(1));
    // the expectation is attached before the thread ends, so the rejection is handled when it comes
    const pending = expect(log.thread.append(entry(2))).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_WRITE' });
    const exited = new Promise<number>((resolve) => log.worker.once('exit', resolve));
    end(log.worker);
    await exited;
    await pending;
    expect(log.thread.failure?.code).toBe('GW_ERR_AUDIT_WRITE');
    await expect(log.thread.durable()).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_WRITE' });
    await expect(log.thread.append(entry(3))).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_WRITE' });
    expect(log.failures).toHaveLength(1);
    await expect(log.thread.close()).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_WRITE' });

    // what reached the disk verifies (no log.closed: the log ends where the thread did)
    const verified = await verifyDir(log.dir, log.keys, { requireHead: false });
    expect(verified.problems).toEqual([]);
    const again = await openThread({ dir: log.dir, keys: log.keys, time: log.time, signer: log.signer });
    await again.thread.close();
    expect((await verifyDir(log.dir, log.keys, { requireHead: false })).problems).toEqual([]);
  });

  it('start-up errors keep their codes: a directory that cannot be opened, a last record that is none', async () => {
    const keys = tempDir('keys');
    const signer = await AuditSigner.fromFile(makeKey(keys, 'audit-signing').privateFile);
    const notADirectory = join(tempDir('audit'), 'file');
    writeFileSync(notADirectory, 'x');
    await expect(
      AuditStoreThread.open({
        directory: notADirectory,
        signer,
        maxFileBytes: 1 << 20,
        clock: new FakeTime(),
      }),
    ).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_LOG' });

    const log = await openThread({ keys, signer });
    await log.thread.close();
    const [file] = await listSegments(log.dir);
    writeFileSync(file as string, '{"not":"a record"}\n');
    await expect(
      AuditStoreThread.open({ directory: log.dir, signer, maxFileBytes: 1 << 20, clock: new FakeTime() }),
    ).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_LOG' });
  });
});

/**
 * Issue 16, item 3: the audit signer as a process of its own (here its server in this process, on a
 * real Unix socket; test/integration/audit-signer-process.test.ts runs it as another user). The log's
 * thread asks it to sign; it signs only records that extend its chain, so a log cut back below what
 * it confirmed cannot be continued, and a rotation is endorsed by its previous key.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { connect, type Server } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { listSegments } from '../../../src/adapters/audit/audit-segments.js';
import { AuditStoreThread } from '../../../src/adapters/audit/audit-store-thread.js';
import { RemoteSigner } from '../../../src/adapters/audit/remote-signer.js';
import { systemClock } from '../../../src/application/clock.js';
import { ChainSigner, signerKey } from '../../../src/signer/chain-signer.js';
import { startSignerServer } from '../../../src/signer/signer-server.js';
import { entry, makeKey, tempDir, verifyDir } from './support.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function startSigner(options: { keys: string; key: string; previous?: string; state: string }) {
  const read = (name: string) => createPrivateKey(readFileSync(join(options.keys, `${name}.key`)));
  const signer = await ChainSigner.open({
    key: await signerKey(read(options.key)),
    previous: options.previous === undefined ? undefined : await signerKey(read(options.previous)),
    stateFile: options.state,
  });
  const socketPath = join(tempDir('signer'), 'signer.sock');
  const server = await startSignerServer({
    socketPath,
    gid: undefined,
    signer,
    logger: pino({ level: 'silent' }),
  });
  servers.push(server);
  const remote = await RemoteSigner.open(socketPath);
  remote.close();
  return { socketPath, kid: remote.kid };
}

async function writeRecords(dir: string, signer: { socketPath: string; kid: string }, count: number) {
  const log = await AuditStoreThread.open({
    directory: dir,
    signer,
    maxFileBytes: 1 << 20,
    clock: systemClock,
  });
  for (let n = 0; n < count; n += 1) await log.append(entry(n));
  await log.close();
}

/** A key, a signer with an empty state file, and an empty log directory. */
async function freshSigner() {
  const keys = tempDir('keys');
  makeKey(keys, 'audit-signing');
  const state = join(tempDir('state'), 'state.json');
  const signer = await startSigner({ keys, key: 'audit-signing', state });
  return { keys, state, dir: tempDir('audit'), signer };
}

describe('the audit signer process', () => {
  it('signs the log through its socket; the log verifies with its public key, across restarts', async () => {
    const { keys, state, dir, signer } = await freshSigner();
    await writeRecords(dir, signer, 10);
    await writeRecords(dir, signer, 5);
    const result = await verifyDir(dir, keys);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, records: 19, head: 'ok', keys: [signer.kid] });
    // the signer's own file names the last record the gateway confirmed: log.closed, 18
    expect(JSON.parse(readFileSync(state, 'utf8')).durable.seq).toBe(18);
  });

  it('refuses to continue a log cut back below what it confirmed: the log does not open (fail-closed)', async () => {
    const { keys, state, dir, signer } = await freshSigner();
    await writeRecords(dir, signer, 10);
    await writeRecords(dir, signer, 3);
    // the operator removes the second run's segment and the head: the log ends at record 11 again
    const segments = await listSegments(dir);
    expect(segments).toHaveLength(2);
    rmSync(segments[1] as string);
    rmSync(join(dir, 'audit-head.json'));
    await expect(writeRecords(dir, signer, 1)).rejects.toMatchObject({
      code: 'GW_ERR_AUDIT_WRITE',
      message: expect.stringContaining('is at or below the confirmed record 16'),
    });
    // a signer restarted from its state file refuses it just the same
    const restarted = await startSigner({ keys, key: 'audit-signing', state });
    await expect(writeRecords(dir, restarted, 1)).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_WRITE' });
  });

  it('a new key: the signer given the previous one endorses the rotation, and the log verifies', async () => {
    const keys = tempDir('keys');
    makeKey(keys, 'old');
    makeKey(keys, 'new');
    const state = join(tempDir('state'), 'state.json');
    const dir = tempDir('audit');
    await writeRecords(dir, await startSigner({ keys, key: 'old', state }), 3);
    const rotated = await startSigner({ keys, key: 'new', previous: 'old', state });
    await writeRecords(dir, rotated, 3);
    const result = await verifyDir(dir, keys);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    // without the previous key the new signer cannot continue that log
    const alone = await startSigner({ keys, key: 'new', state: join(tempDir('state'), 'state.json') });
    const other = tempDir('audit');
    await writeRecords(
      other,
      await startSigner({ keys, key: 'old', state: join(tempDir('state'), 's.json') }),
      1,
    );
    await expect(writeRecords(other, alone, 1)).rejects.toMatchObject({ code: 'GW_ERR_AUDIT_KEY' });
  });

  it('answers anything else with a refusal, never a signature', async () => {
    const keys = tempDir('keys');
    makeKey(keys, 'audit-signing');
    const signer = await startSigner({
      keys,
      key: 'audit-signing',
      state: join(tempDir('state'), 'state.json'),
    });
    const ask = (line: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(signer.socketPath);
        socket.setEncoding('utf8');
        socket.once('data', (reply: string) => {
          socket.destroy();
          resolve(reply);
        });
        socket.once('error', reject);
        socket.write(`${line}\n`);
      });
    for (const line of [
      'not json',
      JSON.stringify({ id: 1, op: 'sign', input: 'anything at all' }),
      JSON.stringify({
        id: 2,
        op: 'sign',
        input: JSON.stringify({ seq: 0, prev: '0'.repeat(64), kid: 'someone-else' }),
      }),
      JSON.stringify({ id: 3, op: 'sign', input: 'tonewall audit key rotation\nfrom a\nto b' }),
      JSON.stringify({ id: 4, op: 'confirm', seq: 7, hash: 'f'.repeat(64) }),
    ]) {
      const reply = JSON.parse(await ask(line));
      expect(reply.ok, line).toBe(false);
      expect(reply.sig, line).toBeUndefined();
    }
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditFileStore } from '../../../src/adapters/audit/audit-file-store.js';
import { AuditKeyring } from '../../../src/adapters/audit/audit-keyring.js';
import { AuditSigner } from '../../../src/adapters/audit/audit-signer.js';
import { verifyAuditLog } from '../../../src/adapters/audit/audit-verifier.js';
import type { AuditEntry } from '../../../src/domain/audit/audit-record.js';
import { FakeTime } from '../../support/fake-time.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tonewall-${prefix}-`));
}

/** An Ed25519 key pair written as scripts/keys.ts writes it: PKCS#8 private, SPKI public. */
export function makeKey(dir: string, name: string): { privateFile: string; publicFile: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateFile = join(dir, `${name}.key`);
  const publicFile = join(dir, `${name}.pub.pem`);
  writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }).toString());
  return { privateFile, publicFile };
}

export const entry = (n: number): AuditEntry => ({
  type: 'api.action',
  actor: 'agent:agent-7',
  callId: `CA${n}`,
  data: { action: 'payment.create', outcome: 'allowed' },
});

/** A log directory, its key directory, and a store writing to it. */
export async function openLog(
  options: { maxFileBytes?: number; keyName?: string; dir?: string; keys?: string; time?: FakeTime } = {},
) {
  const dir = options.dir ?? tempDir('audit');
  const keys = options.keys ?? tempDir('keys');
  const key = makeKey(keys, options.keyName ?? 'audit-signing');
  const time = options.time ?? new FakeTime();
  const signer = await AuditSigner.fromFile(key.privateFile);
  const store = await AuditFileStore.open({
    directory: dir,
    signer,
    maxFileBytes: options.maxFileBytes ?? 1024 * 1024,
    clock: time,
  });
  return { dir, keys, key, time, signer, store };
}

export async function verifyDir(dir: string, keys: string, options: { requireHead?: boolean } = {}) {
  return verifyAuditLog({ paths: [dir], keyring: await AuditKeyring.load([keys]), ...options });
}

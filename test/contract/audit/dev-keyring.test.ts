/**
 * scripts/keys.ts keeps the pinned audit keyring (keys/audit-keyring.json) that the served report
 * and `audit verify` trust by default: the audit key pinned from when it was made; on `--force`, the
 * old key's window closed, the new key's opened, and the old private key kept for the one start that
 * cross-signs the rotation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDevKeys } from '../../../scripts/keys.js';
import { AuditKeyring } from '../../../src/adapters/audit/audit-keyring.js';
import { AuditSigner } from '../../../src/adapters/audit/audit-signer.js';
import { tempDir } from './support.js';

interface Keyring {
  keys: { publicKey: string; notBefore: string; notAfter?: string }[];
}

describe('the development audit keyring', () => {
  it('pins the audit key; --force retires it, pins the new one, and keeps the old private key', {
    timeout: 60_000,
  }, async () => {
    const dir = tempDir('keys');
    const made = Date.parse('2026-01-01T00:00:00Z');
    generateDevKeys({ dir, now: made, encryptionKeys: 1 });
    const file = join(dir, 'audit-keyring.json');
    const first = JSON.parse(readFileSync(file, 'utf8')) as Keyring;
    expect(first.keys).toEqual([
      {
        publicKey: readFileSync(join(dir, 'audit-signing.pub.pem'), 'utf8'),
        notBefore: '2026-01-01T00:00:00.000Z',
      },
    ]);
    const oldSigner = await AuditSigner.fromFile(join(dir, 'audit-signing.key'));

    const rotated = Date.parse('2026-06-01T00:00:00Z');
    generateDevKeys({ dir, now: rotated, encryptionKeys: 1, force: true });
    const second = JSON.parse(readFileSync(file, 'utf8')) as Keyring;
    expect(second.keys.map((key) => [key.notBefore, key.notAfter])).toEqual([
      ['2026-01-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z'],
      ['2026-06-01T00:00:00.000Z', undefined],
    ]);
    expect(existsSync(join(dir, 'audit-signing-previous.key'))).toBe(true);
    expect((await AuditSigner.fromFile(join(dir, 'audit-signing-previous.key'))).kid).toBe(oldSigner.kid);

    // the old key's signatures hold inside its window only
    const keyring = await AuditKeyring.load([file]);
    const input = 'a record';
    const signature = oldSigner.sign(input);
    expect(keyring.verify(oldSigner.kid, input, signature, '2026-03-01T00:00:00.000Z')).toBe('ok');
    expect(keyring.verify(oldSigner.kid, input, signature, '2026-07-01T00:00:00.000Z')).toBe(
      'outside-window',
    );
  });
});

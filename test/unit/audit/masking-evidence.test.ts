import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditKeyring } from '../../../src/adapters/audit/audit-keyring.js';
import {
  type MaskingEvidence,
  readMaskingEvidence,
  signMaskingEvidence,
  writeMaskingEvidence,
} from '../../../src/adapters/audit/masking-evidence.js';
import { renderMaskingEvidence } from '../../../src/adapters/audit/masking-evidence-section.js';

const evidence: MaskingEvidence = {
  type: 'tonewall.masking-check',
  version: 1,
  checkedAt: '2026-12-02T04:12:48.181Z',
  stack: 'dev',
  settings: { maskBlockFlags: 'DTMF-security=silence delay-buffer=50 detect-DTMF' },
  addedDelayMs: { median: 50.5, samples: [50.3, 50.5] },
  layouts: [
    {
      layout: 'end×3, gap 60 ms',
      keys: 43,
      eventsAtAgent: 0,
      toneMsAtAgent: 0,
      maxDtmfDbfs: -140,
      agentAudioMs: 11440,
      customerAudioMs: 2900,
      reportsOk: null,
      passed: true,
    },
  ],
  calls: 2,
  keys: 43,
  leakedToneMs: 0,
  eventsAtAgent: 0,
  passed: true,
};

function keys() {
  const pair = generateKeyPairSync('ed25519');
  return { privateKey: pair.privateKey, publicKey: pair.publicKey };
}

describe('masking evidence (masking-check’s signed result)', () => {
  it('verifies with the audit key and shows in the report; an edit or another key does not', async () => {
    const trusted = keys();
    const other = keys();
    const dir = mkdtempSync(join(tmpdir(), 'tonewall-evidence-'));
    await writeMaskingEvidence(
      dir,
      await signMaskingEvidence(evidence, trusted.privateKey),
      evidence.checkedAt,
    );
    const keyring = await AuditKeyring.fromPublicKeys([trusted.publicKey]);

    const [good] = await readMaskingEvidence([dir], keyring);
    expect(good?.signature).toBe('ok');
    expect(good?.evidence).toEqual(evidence);
    expect(renderMaskingEvidence(await readMaskingEvidence([dir], keyring))).toContain(
      'data-figure="masking-check.last">2026-12-02T04:12:48.181Z',
    );

    // the payload edited (a failing run turned into a pass): the signature no longer verifies
    const [file] = readdirSync(dir);
    const [header, payload, signature] = readFileSync(join(dir, file ?? ''), 'utf8')
      .trim()
      .split('.');
    const edited = Buffer.from(
      Buffer.from(payload ?? '', 'base64url')
        .toString('utf8')
        .replace('"leakedToneMs":0', '"leakedToneMs":1'),
    ).toString('base64url');
    writeFileSync(join(dir, file ?? ''), `${header}.${edited}.${signature}`);
    const [tampered] = await readMaskingEvidence([dir], keyring);
    expect(tampered?.signature).toBe('bad');
    expect(renderMaskingEvidence([tampered].filter((x) => x !== undefined))).toContain('did not verify');

    // signed by a key the auditor was not given
    const otherDir = mkdtempSync(join(tmpdir(), 'tonewall-evidence-'));
    await writeMaskingEvidence(
      otherDir,
      await signMaskingEvidence(evidence, other.privateKey),
      evidence.checkedAt,
    );
    expect((await readMaskingEvidence([otherDir], keyring))[0]?.signature).toBe('unknown-key');
  });

  it('a missing directory is no evidence, and the report says to run the check', async () => {
    const keyring = await AuditKeyring.fromPublicKeys([keys().publicKey]);
    const none = await readMaskingEvidence(['/nonexistent/masking-check'], keyring);
    expect(none).toEqual([]);
    expect(renderMaskingEvidence(none)).toContain('No signed masking self-test found');
  });
});

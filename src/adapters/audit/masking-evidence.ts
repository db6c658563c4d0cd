/**
 * Masking evidence: the result of `./scripts/tonewall masking-check` (real calls through the deployed
 * Kamailio and rtpengines, every agent stream checked for DTMF), signed as a compact JWS (EdDSA) with
 * the audit signing key, so the auditor's report can show when masking was last tried on this stack
 * and that the result was not edited since. Verified with the same public keys as the audit log.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CompactSign } from 'jose';
import { z } from 'zod';
import { keyIdOf } from '../processors/key-id.js';
import type { AuditKeyring } from './audit-keyring.js';

const layoutResultSchema = z
  .object({
    layout: z.string().max(200),
    keys: z.number().int().min(0),
    eventsAtAgent: z.number().int().min(0),
    toneMsAtAgent: z.number().min(0),
    maxDtmfDbfs: z.number(),
    agentAudioMs: z.number().min(0),
    customerAudioMs: z.number().min(0),
    /** Whether rtpengine reported what it should; null where the check could not read its reports. */
    reportsOk: z.boolean().nullable(),
    passed: z.boolean(),
  })
  .strict();

export const maskingEvidenceSchema = z
  .object({
    type: z.literal('tonewall.masking-check'),
    version: z.literal(1),
    checkedAt: z.string().datetime(),
    /** Which stack: a run name (`dev`) or `own` (the check's own stack). */
    stack: z.string().max(100),
    /** The masking settings in force (flags and delays; no secret among them). */
    settings: z.record(z.string(), z.string().max(500)),
    /** Added one-way delay customer → agent, ms (median and each probe). */
    addedDelayMs: z.object({ median: z.number().nullable(), samples: z.array(z.number()) }).strict(),
    layouts: z.array(layoutResultSchema),
    calls: z.number().int().min(0),
    keys: z.number().int().min(0),
    leakedToneMs: z.number().min(0),
    eventsAtAgent: z.number().int().min(0),
    passed: z.boolean(),
  })
  .strict();

export type MaskingEvidence = z.infer<typeof maskingEvidenceSchema>;
export type LayoutResult = z.infer<typeof layoutResultSchema>;

/** Signs `evidence` (compact JWS, EdDSA, kid = the key's RFC 7638 thumbprint). */
export async function signMaskingEvidence(evidence: MaskingEvidence, privateKey: KeyObject): Promise<string> {
  const valid = maskingEvidenceSchema.parse(evidence);
  const kid = await keyIdOf(createPublicKey(privateKey));
  return new CompactSign(new TextEncoder().encode(JSON.stringify(valid)))
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'tonewall-masking-check+jws' })
    .sign(privateKey);
}

/** Writes the signed evidence as `<dir>/<checkedAt>.jws`; returns the path. */
export async function writeMaskingEvidence(dir: string, jws: string, checkedAt: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `masking-check-${checkedAt.replace(/[:.]/g, '-')}.jws`);
  await writeFile(path, `${jws}\n`, { mode: 0o644 });
  return path;
}

export interface VerifiedEvidence {
  readonly file: string;
  /** `ok`: signed by a trusted key and well formed; otherwise why it is not to be trusted. */
  readonly signature: 'ok' | 'bad' | 'unknown-key' | 'malformed';
  readonly evidence: MaskingEvidence | undefined;
}

const headerSchema = z.object({ alg: z.literal('EdDSA'), kid: z.string().min(1).max(200) }).passthrough();

/** Verifies one compact JWS with the keyring. */
export function verifyMaskingEvidence(file: string, jws: string, keyring: AuditKeyring): VerifiedEvidence {
  const parts = jws.trim().split('.');
  if (parts.length !== 3) return { file, signature: 'malformed', evidence: undefined };
  const [header, payload, signature] = parts as [string, string, string];
  try {
    const parsedHeader = headerSchema.parse(JSON.parse(Buffer.from(header, 'base64url').toString('utf8')));
    const check = keyring.verify(parsedHeader.kid, `${header}.${payload}`, signature);
    // no time is checked here (a result file is signed once, when written): never outside-window
    if (check !== 'ok')
      return { file, signature: check === 'outside-window' ? 'bad' : check, evidence: undefined };
    const evidence = maskingEvidenceSchema.parse(
      JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
    );
    return { file, signature: 'ok', evidence };
  } catch {
    return { file, signature: 'malformed', evidence: undefined };
  }
}

/** Every `*.jws` in `dirs` (missing directories are empty), verified, newest first. */
export async function readMaskingEvidence(
  dirs: readonly string[],
  keyring: AuditKeyring,
): Promise<VerifiedEvidence[]> {
  const found: VerifiedEvidence[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((name) => name.endsWith('.jws'));
    } catch {
      continue;
    }
    for (const name of names) {
      found.push(verifyMaskingEvidence(name, await readFile(join(dir, name), 'utf8'), keyring));
    }
  }
  return found.sort((a, b) => (b.evidence?.checkedAt ?? '').localeCompare(a.evidence?.checkedAt ?? ''));
}

/** Lines of the log and its signed head read back and checked field by field (the verifier, a restart). */
import { z } from 'zod';
import type { CanonicalValue } from '../../domain/audit/audit-canonical-json.js';
import {
  AUDIT_EVENT_TYPES,
  AUDIT_RECORD_VERSION,
  type AuditHead,
  type AuditRecord,
} from '../../domain/audit/audit-record.js';
import { MAX_RECORD_BYTES } from './audit-codec.js';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const kid = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);
const signature = z.string().regex(/^[A-Za-z0-9_-]{86}$/);
const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const canonical: z.ZodType<CanonicalValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().int().refine(Number.isSafeInteger),
    z.boolean(),
    z.null(),
    z.array(canonical),
    z.record(z.string(), canonical),
  ]),
);

const recordSchema = z
  .object({
    v: z.literal(AUDIT_RECORD_VERSION),
    seq: z.number().int().min(0).refine(Number.isSafeInteger),
    at: timestamp,
    type: z.enum(AUDIT_EVENT_TYPES),
    actor: z.string().max(256),
    agent: z.string().max(256).optional(),
    callId: z.string().max(256).optional(),
    paymentId: z.string().max(256).optional(),
    data: z.record(z.string(), canonical),
    prev: hex64,
    kid,
    sig: signature,
  })
  .strict();

const headSchema = z
  .object({
    v: z.literal(AUDIT_RECORD_VERSION),
    type: z.literal('audit.head'),
    seq: z.number().int().min(0),
    hash: hex64,
    file: z.string().max(256),
    at: timestamp,
    kid,
    sig: signature,
  })
  .strict();

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A line of the log as a record, or undefined when it is none (torn, edited into nonsense). */
export function parseRecordLine(text: string): AuditRecord | undefined {
  if (text.length > MAX_RECORD_BYTES) return undefined;
  const parsed = recordSchema.safeParse(parseJson(text));
  return parsed.success ? (parsed.data as AuditRecord) : undefined;
}

export function parseHead(text: string): AuditHead | undefined {
  const parsed = headSchema.safeParse(parseJson(text));
  return parsed.success ? parsed.data : undefined;
}

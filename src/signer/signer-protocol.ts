import { z } from 'zod';
import type { ErrorCode } from '../errors.js';

/**
 * The audit signer's protocol on its Unix socket: one JSON object a line each way.
 * - `{"id":1,"op":"hello"}` → `{"id":1,"ok":true,"kid":…,"publicKey":<SPKI PEM>,"previousKid"?:…}`
 * - `{"id":2,"op":"sign","input":<text>}` → `{"id":2,"ok":true,"sig":<base64url>}`: a record's
 *   signing input, a head's, or a rotation statement (src/signer/chain-signer.ts says which it signs)
 * - `{"id":3,"op":"confirm","seq":N,"hash":<hex>}` → `{"id":3,"ok":true}`: record N is on disk
 * A refusal: `{"id":…,"ok":false,"code":"GW_ERR_AUDIT_SIGNER","message":…}`.
 */
const requestSchema = z.discriminatedUnion('op', [
  z.object({ id: z.number().int().nonnegative(), op: z.literal('hello') }).strict(),
  z
    .object({ id: z.number().int().nonnegative(), op: z.literal('sign'), input: z.string().max(128 * 1024) })
    .strict(),
  z
    .object({
      id: z.number().int().nonnegative(),
      op: z.literal('confirm'),
      seq: z.number().int().nonnegative(),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
    })
    .strict(),
]);

export type SignerRequest = z.infer<typeof requestSchema>;

export type SignerReply =
  | { id: number; ok: true; kid?: string; publicKey?: string; previousKid?: string; sig?: string }
  | { id: number | null; ok: false; code: ErrorCode; message: string };

export function parseSignerRequest(line: string): SignerRequest | undefined {
  try {
    const parsed = requestSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

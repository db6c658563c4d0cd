import type { z } from 'zod';
import { type ErrorCode, GatewayError } from '../errors.js';

/**
 * Parses a JSON text from outside (a datagram, an evapi event) against `schema`. A failure throws
 * `code` with a message that names the invalid fields, never their values.
 */
export function parseJsonInput<T>(text: string, schema: z.ZodType<T>, code: ErrorCode, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GatewayError(code, `${what} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
    throw new GatewayError(code, `${what} has invalid field(s): ${fields.join(', ')}`);
  }
  return parsed.data;
}

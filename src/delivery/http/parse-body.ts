import type { z } from 'zod';
import { GatewayError } from '../../errors.js';

/** Parses with `schema`; a failure names the fields (never their values) in GW_ERR_INVALID_BODY. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return `unknown field(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    const path = issue.path.join('.');
    return path ? `"${path}" ${issue.message.replace(/, received .*$/, '')}` : issue.message;
  });
  throw new GatewayError('GW_ERR_INVALID_BODY', `invalid request: ${problems.join('; ')}`.slice(0, 500));
}

const ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

/** A resource id from the path; anything else is GW_ERR_NOT_FOUND (never echoed). */
export function checkId(value: string | undefined, name: string): string {
  if (!value || !ID_PATTERN.test(value)) throw new GatewayError('GW_ERR_NOT_FOUND', `no such ${name}`);
  return value;
}

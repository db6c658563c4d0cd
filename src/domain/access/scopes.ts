/**
 * What an integration key may do: start and steer payments, read payments (views, events, lists),
 * read calls, name a call's agent (`calls:write`), read the audit report. A key carries the scopes it was given and nothing else.
 */
export const SCOPES = ['payments:write', 'payments:read', 'calls:read', 'calls:write', 'audit:read'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

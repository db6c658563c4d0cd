import { GatewayError } from '../../errors.js';
import { pageQuerySchema } from './api-schemas.js';

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string;
}

/**
 * Cursor pagination over a list in a total order given by `sortKey` (unique per item, compared as
 * strings; `descending` for newest first). The cursor is the last item's key, base64url-encoded:
 * opaque to clients, stable while items come and go (a page starts after the key, not at an offset).
 */
export function paginate<T>(
  items: readonly T[],
  query: unknown,
  options: { sortKey: (item: T) => string; descending?: boolean },
): Page<T> {
  const parsed = pageQuerySchema.safeParse(query);
  if (!parsed.success) {
    throw new GatewayError(
      'GW_ERR_INVALID_BODY',
      `"limit" must be a whole number from 1 to 200 and "cursor" a value from "nextCursor"`,
    );
  }
  const { limit, cursor } = parsed.data;
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const sign = options.descending ? -1 : 1;
  const keyed = items
    .map((item) => ({ item, key: options.sortKey(item) }))
    .sort((a, b) => sign * compare(a.key, b.key));
  const rest = after === undefined ? keyed : keyed.filter(({ key }) => sign * compare(key, after) > 0);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ item }) => item),
    ...(rest.length > limit && last ? { nextCursor: Buffer.from(last.key).toString('base64url') } : {}),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function decodeCursor(cursor: string): string {
  const key = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (key === '' || Buffer.from(key).toString('base64url') !== cursor) {
    throw new GatewayError('GW_ERR_INVALID_BODY', '"cursor" is not a value from "nextCursor"');
  }
  return key;
}

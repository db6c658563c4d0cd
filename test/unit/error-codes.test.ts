import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_STATUS } from '../../src/errors.js';

describe('docs/error-codes.md', () => {
  const doc = readFileSync(new URL('../../docs/error-codes.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `(GW_ERR_[A-Z_]+)` \| ([^|]+) \|/gm)].map((match) => ({
    code: match[1] as string,
    status: (match[2] as string).trim(),
  }));

  it('lists exactly the codes src/errors.ts defines', () => {
    expect(rows.map((row) => row.code).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('gives each code the HTTP status the error handler answers with', () => {
    for (const row of rows) {
      const status = ERROR_STATUS[row.code as keyof typeof ERROR_STATUS];
      expect(row.status, row.code).toBe(status === undefined ? '—' : String(status));
    }
  });
});

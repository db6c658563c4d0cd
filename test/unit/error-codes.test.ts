import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';

describe('docs/error-codes.md', () => {
  it('lists exactly the codes src/errors.ts defines', () => {
    const doc = readFileSync(new URL('../../docs/error-codes.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `(GW_ERR_[A-Z_]+)` \|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...ERROR_CODES].sort());
  });
});

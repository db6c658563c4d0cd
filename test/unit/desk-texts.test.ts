import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { BRAND_NAMES } from '../../src/domain/card/card-brand.js';

it('the desk names every card brand the API can send, as the brand table does', async () => {
  const texts = pathToFileURL(new URL('../../src/delivery/ui/texts.js', import.meta.url).pathname).href;
  const { BRANDS } = (await import(texts)) as { BRANDS: Record<string, string> };
  expect(BRANDS).toEqual(BRAND_NAMES);
});

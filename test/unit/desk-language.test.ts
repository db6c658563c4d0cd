/**
 * The desk in the agent's language: the catalogue's desk texts per language, served at
 * /ui/texts/<language>.json, and texts.js filling its tables from them in the agent's choice.
 */
import { pathToFileURL } from 'node:url';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiRoutes } from '../../src/delivery/http/ui-routes.js';
import { CATALOGUES } from '../../src/domain/language/catalogue.js';
import { LANGUAGES } from '../../src/domain/language/languages.js';

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keysOf(inner, `${prefix}.${key}`));
}

describe('the desk texts in the catalogue', () => {
  it.each(LANGUAGES)('%s: every text en-GB has, none empty', (language) => {
    const desk = CATALOGUES[language].desk;
    expect(keysOf(desk).sort()).toEqual(keysOf(CATALOGUES['en-GB'].desk).sort());
    for (const key of keysOf(desk)) expect(key).not.toBe('');
  });

  it('every language is translated: its own tag, and its texts differ from en-GB where the words differ', () => {
    const english = CATALOGUES['en-GB'].desk;
    for (const language of LANGUAGES.filter((tag) => tag !== 'en-GB')) {
      const desk = CATALOGUES[language].desk;
      expect(desk.language).toBe(language);
      expect(desk.orders.takeLabel).toContain('{what}');
      expect(desk.orders.takeLabel).toContain('{amount}');
      expect(desk.orders.arrived).toContain('{what}');
      if (language === 'en-US') {
        // American English: the same language, its own words where they differ
        expect(desk.fieldNames['postal-code']).toBe('ZIP code');
        expect(desk.statuses.cancelled).toBe('Canceled');
        continue;
      }
      expect(Object.values(desk.fieldNames)).not.toContain(english.fieldNames['payment-card-number']);
      expect(desk.outcomes.success.title).not.toBe(english.outcomes.success.title);
      expect(desk.readBack.awaiting).toContain('#');
      expect(desk.readBack.awaiting).toContain('*');
    }
  });
});

let base = '';
let close: () => void = () => {};
beforeAll(async () => {
  const server = express().use(uiRoutes()).listen(0, '127.0.0.1');
  await new Promise((ready) => server.once('listening', ready));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe('GET /ui/texts', () => {
  it('lists the languages with their own names, and serves one language’s desk texts', async () => {
    const languages = (await (await fetch(`${base}/ui/texts/languages.json`)).json()) as Array<{
      name: string;
    }>;
    expect(languages).toHaveLength(LANGUAGES.length);
    expect(languages).toContainEqual({ language: 'cy-GB', name: 'Cymraeg' });
    const welsh = await fetch(`${base}/ui/texts/cy-GB.json`);
    expect(welsh.status).toBe(200);
    expect(await welsh.json()).toEqual(JSON.parse(JSON.stringify(CATALOGUES['cy-GB'].desk)));
    expect((await fetch(`${base}/ui/texts/xx-XX.json`)).status).toBe(404);
    expect((await fetch(`${base}/ui/texts/..%2Fapp.js`)).status).toBe(404);
  });

  it('texts.js fills its tables in the agent’s choice, else the browser’s language, else en-GB', async () => {
    const stored = new Map<string, string>();
    const page = globalThis as unknown as Record<string, unknown>;
    const realFetch = globalThis.fetch;
    page.fetch = (path: string) => realFetch(`${base}${path}`);
    page.localStorage = { getItem: (key: string) => stored.get(key) ?? null, setItem: () => {} };
    page.document = { documentElement: {} };
    try {
      const url = pathToFileURL(new URL('../../src/delivery/ui/texts.js', import.meta.url).pathname).href;
      const texts = await import(`${url}?case=choice`);
      stored.set('tonewall.deskLanguage', 'es-ES');
      expect((await texts.loadTexts()).language).toBe('es-ES');
      expect(texts.FIELD_NAMES['payment-card-number']).toBe('Número de tarjeta');
      expect(texts.orderText(texts.ORDER_TEXTS.takeLabel, 'Pedido 7', '10,00 €')).toBe(
        'Cobrar Pedido 7, 10,00 €',
      );
      expect((page.document as { documentElement: { lang: string } }).documentElement.lang).toBe('es-ES');

      stored.clear();
      Object.defineProperty(globalThis, 'navigator', { value: { languages: ['cy'] }, configurable: true });
      const browser = await import(`${url}?case=browser`);
      expect((await browser.loadTexts()).language).toBe('cy-GB');
      expect(browser.STATUSES.succeeded).toBe('Wedi’i gymeradwyo');
    } finally {
      page.fetch = realFetch;
      delete page.localStorage;
      delete page.document;
    }
  });
});

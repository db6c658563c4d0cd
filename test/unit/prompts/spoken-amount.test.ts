import { describe, expect, it } from 'vitest';
import { CATALOGUES } from '../../../src/domain/language/catalogue.js';
import { LANGUAGES } from '../../../src/domain/language/languages.js';
import { readBackSentence, spokenAmount } from '../../../src/domain/language/spoken-amount.js';

describe('spokenAmount: whole numbers and the currency’s words in the language', () => {
  it.each([
    ['en-GB', '10.00', 'gbp', '10 pounds'],
    ['en-GB', '1.01', 'gbp', 'one pound and one penny'],
    ['en-GB', '0.50', 'gbp', '50 pence'],
    ['en-GB', '0', 'gbp', '0 pounds'],
    ['en-US', '12.34', 'usd', '12 dollars and 34 cents'],
    ['es-ES', '1.50', 'eur', 'un euro con 50 céntimos'],
    ['es-ES', '1', 'gbp', 'una libra'],
    ['fr-FR', '1.00', 'gbp', 'une livre'],
    ['de-DE', '99.99', 'eur', '99 Euro und 99 Cent'],
    ['it-IT', '2.01', 'eur', '2 euro e un centesimo'],
    ['pt-BR', '10.25', 'brl', '10 reais e 25 centavos'],
    ['pl-PL', '2.05', 'pln', '2 złote i 5 groszy'],
    ['pl-PL', '22.22', 'pln', '22 złote i 22 grosze'],
    ['pl-PL', '1.00', 'pln', 'jeden złoty'],
    ['nl-NL', '1.00', 'eur', 'één euro'],
    ['cy-GB', '2.03', 'gbp', 'dwy bunt a tair ceiniog'],
    ['cy-GB', '6.00', 'gbp', 'chwe phunt'],
    ['cy-GB', '10.00', 'gbp', '10 punt'],
    ['en-GB', '1000', 'jpy', '1000 J P Y'],
    ['en-GB', '1.234', 'kwd', '1 and 234 K W D'],
  ] as const)('%s: %s %s → %s', (language, amount, currency, spoken) => {
    expect(spokenAmount(CATALOGUES[language], amount, currency)).toBe(spoken);
  });

  it.each(LANGUAGES)('%s: the sentence holds the amount, words for GBP, EUR and USD', (language) => {
    const catalogue = CATALOGUES[language];
    for (const code of ['gbp', 'eur', 'usd']) expect(catalogue.readBack.currencies[code], code).toBeDefined();
    const sentence = readBackSentence(catalogue, '10.50', 'gbp');
    expect(sentence).toContain(spokenAmount(catalogue, '10.50', 'gbp'));
    expect(sentence).not.toContain('10.50');
  });

  it('never reads a decimal point: no digit run joined by a point or comma', () => {
    for (const language of LANGUAGES) {
      expect(readBackSentence(CATALOGUES[language], '1234.56', 'eur')).not.toMatch(/\d[.,]\d/);
    }
  });
});

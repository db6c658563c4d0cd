import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROMPT_IDS } from '../../../src/domain/capture/capture-commands.js';
import { CATALOGUES } from '../../../src/domain/language/catalogue.js';
import { LANGUAGES } from '../../../src/domain/language/languages.js';

describe('the message catalogue', () => {
  it('has every language the issue asks for', () => {
    expect([...LANGUAGES].sort()).toEqual(
      ['en-GB', 'en-US', 'es-ES', 'fr-FR', 'de-DE', 'it-IT', 'pt-BR', 'pl-PL', 'nl-NL', 'cy-GB'].sort(),
    );
  });

  it.each(LANGUAGES)('%s: a text for every prompt, its own (not English but for en-*)', (language) => {
    const catalogue = CATALOGUES[language];
    expect(catalogue.language).toBe(language);
    expect(Object.keys(catalogue.prompts).sort()).toEqual([...PROMPT_IDS].sort());
    for (const prompt of PROMPT_IDS) {
      const text = catalogue.prompts[prompt];
      expect(text.trim().length, prompt).toBeGreaterThan(5);
      if (!language.startsWith('en-')) expect(text, prompt).not.toBe(CATALOGUES['en-GB'].prompts[prompt]);
    }
  });

  it('names only voices the installed espeak-ng has (Debian espeak-ng; missing: this fails)', () => {
    const voices = execFileSync('espeak-ng', ['--voices'], { encoding: 'utf8' })
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/)[1]);
    for (const language of LANGUAGES) expect(voices, language).toContain(CATALOGUES[language].espeakVoice);
  });
});

import { CY_GB } from './catalogue/cy-gb.js';
import { DE_DE } from './catalogue/de-de.js';
import { EN_GB } from './catalogue/en-gb.js';
import { EN_US } from './catalogue/en-us.js';
import { ES_ES } from './catalogue/es-es.js';
import { FR_FR } from './catalogue/fr-fr.js';
import { IT_IT } from './catalogue/it-it.js';
import { NL_NL } from './catalogue/nl-nl.js';
import { PL_PL } from './catalogue/pl-pl.js';
import { PT_BR } from './catalogue/pt-br.js';
import type { Catalogue } from './catalogue-types.js';
import type { Language } from './languages.js';

export type { Catalogue };

/** The message catalogue: every language's texts, one file per language under catalogue/. */
export const CATALOGUES: Readonly<Record<Language, Catalogue>> = Object.freeze({
  'en-GB': EN_GB,
  'en-US': EN_US,
  'es-ES': ES_ES,
  'fr-FR': FR_FR,
  'de-DE': DE_DE,
  'it-IT': IT_IT,
  'pt-BR': PT_BR,
  'pl-PL': PL_PL,
  'nl-NL': NL_NL,
  'cy-GB': CY_GB,
});

import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { CATALOGUES } from '../../domain/language/catalogue.js';
import { isLanguage, LANGUAGES } from '../../domain/language/languages.js';

/** Where the agent desktop's files are: plain HTML, CSS and ES modules, no build step. */
export const UI_DIRECTORY = fileURLToPath(new URL('../ui/', import.meta.url));

/**
 * The agent desktop at `/`. The files hold no data; everything the page shows comes from the API.
 * Its words come from the message catalogue (src/domain/language/): `/ui/texts/languages.json` lists
 * the languages, `/ui/texts/<language>.json` is one language's desk texts (no credentials: they hold
 * no data).
 */
export function uiRoutes(directory: string = UI_DIRECTORY): Router {
  const router = Router();
  router.get('/ui/texts/:file', (request, response, next) => {
    const file = request.params.file;
    if (file === 'languages.json') {
      response.json(LANGUAGES.map((language) => ({ language, name: CATALOGUES[language].name })));
      return;
    }
    const language = file.endsWith('.json') ? file.slice(0, -'.json'.length) : '';
    if (!isLanguage(language)) {
      next();
      return;
    }
    response.setHeader('cache-control', 'no-cache');
    response.json(CATALOGUES[language].desk);
  });
  router.use(
    express.static(directory, {
      index: 'index.html',
      dotfiles: 'ignore',
      redirect: false,
      etag: true,
      setHeaders: (response) => response.setHeader('cache-control', 'no-cache'),
    }),
  );
  return router;
}

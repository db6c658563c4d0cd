import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** Where the agent desktop's files are: plain HTML, CSS and ES modules, no build step. */
export const UI_DIRECTORY = fileURLToPath(new URL('../ui/', import.meta.url));

/** The agent desktop at `/`. The files hold no data; everything the page shows comes from the API. */
export function uiRoutes(directory: string = UI_DIRECTORY): Router {
  const router = Router();
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

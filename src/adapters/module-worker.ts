import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread running the gateway module at `moduleUrl` (a sibling file's URL, made with
 * `new URL('./x.js', import.meta.url)`). Built, the gateway runs JavaScript and the worker loads the
 * `.js` file directly. From source (vitest, tsx) the caller's own URL ends in `.ts`: the worker then
 * registers tsx first, as the main thread did, and imports the `.ts` file (tsx is a development
 * dependency: a built gateway never takes this path).
 */
export function startModuleWorker(moduleUrl: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  // tsx found from this file, not from the working directory the tests happen to run in
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** The URL of the sibling module `name` (without extension) of the module at `ownUrl`, in its language. */
export function siblingModuleUrl(ownUrl: string, name: string): URL {
  const extension = ownUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, ownUrl);
}

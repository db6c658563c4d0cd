import { Router } from 'express';

/** `degraded`: works, but not wholly (a missing prompt file: that prompt is not heard). */
export type ComponentHealth = { status: 'up' | 'degraded' | 'down'; detail?: string };
export type HealthProbe = () => Promise<ComponentHealth> | ComponentHealth;

/**
 * `/healthz`: 200 when no component is down (status `up`, or `degraded` when one is degraded), 503
 * otherwise, with each component's state.
 */
export function healthRoutes(probes: Readonly<Record<string, HealthProbe>>): Router {
  const router = Router();
  router.get('/healthz', async (_request, response) => {
    const entries = await Promise.all(
      Object.entries(probes).map(async ([name, probe]): Promise<[string, ComponentHealth]> => {
        try {
          return [name, await probe()];
        } catch {
          return [name, { status: 'down' }];
        }
      }),
    );
    const components = Object.fromEntries(entries);
    const statuses = new Set(entries.map(([, health]) => health.status));
    const status = statuses.has('down') ? 'down' : statuses.has('degraded') ? 'degraded' : 'up';
    response.status(status === 'down' ? 503 : 200).json({ status, components });
  });
  return router;
}

import { Router } from 'express';

export type ComponentHealth = { status: 'up' | 'down'; detail?: string };
export type HealthProbe = () => Promise<ComponentHealth> | ComponentHealth;

/** `/healthz`: 200 when every component is up, 503 otherwise, with each component's state. */
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
    const healthy = entries.every(([, health]) => health.status === 'up');
    response.status(healthy ? 200 : 503).json({ status: healthy ? 'up' : 'down', components });
  });
  return router;
}

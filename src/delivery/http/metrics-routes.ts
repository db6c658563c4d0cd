import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { IntegrationKeys } from '../../application/access/integration-keys.js';
import { GatewayError } from '../../errors.js';

export interface MetricsAccess {
  /** TONEWALL_METRICS_TOKEN: a bearer token that opens /metrics and nothing else. */
  readonly token: string | undefined;
  /** Integration keys open /metrics too (they can read everything /metrics summarises). */
  readonly integrationKeys: IntegrationKeys;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * `GET /metrics` in Prometheus' text format, for `Authorization: Bearer <metrics token or
 * integration key>` only: the counts tell how busy the contact centre is, so they are not public.
 */
/** The gateway's metrics in an exposition format (the Prometheus adapter). */
export interface MetricsSource {
  text(): Promise<string>;
  readonly contentType: string;
}

export function metricsRoutes(metrics: MetricsSource, access: MetricsAccess): Router {
  const tokenDigest = access.token === undefined ? undefined : sha256(access.token);
  const router = Router();
  router.get('/metrics', async (request, response) => {
    const token = /^Bearer ([\x21-\x7e]{1,512})$/.exec(request.get('authorization') ?? '')?.[1];
    const allowed =
      token !== undefined &&
      ((tokenDigest !== undefined && timingSafeEqual(tokenDigest, sha256(token))) ||
        access.integrationKeys.match(token).found);
    if (!allowed)
      throw new GatewayError('GW_ERR_UNAUTHORIZED', 'a metrics token or integration key is needed');
    const text = await metrics.text();
    response.setHeader('cache-control', 'no-store');
    response.type(metrics.contentType).send(text);
  });
  return router;
}

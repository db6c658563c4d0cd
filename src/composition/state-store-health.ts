import type { RedisBridge } from '../adapters/store/redis-bridge.js';
import type { Timers } from '../application/clock.js';
import type { ComponentHealth } from '../delivery/http/health-routes.js';

/**
 * The `stateStore` component of /healthz (TONEWALL_STATE_STORE=redis): a PING through the bridge,
 * without blocking the event loop, down when Redis does not answer within `timeoutMs` or a write
 * sent since the last look failed. Payments and sign-ins fail GW_ERR_STATE_STORE meanwhile.
 */
export function stateStoreHealth(
  bridge: RedisBridge,
  timers: Timers,
  timeoutMs: number,
): () => Promise<ComponentHealth> {
  return async () => {
    let timer: { cancel(): void } | undefined;
    const late = new Promise<ComponentHealth>((resolve) => {
      timer = timers.set(timeoutMs, () =>
        resolve({ status: 'down', detail: 'Redis did not answer in time' }),
      );
    });
    const answered = bridge.drain().then(
      (): ComponentHealth => ({ status: 'up' }),
      (): ComponentHealth => ({ status: 'down', detail: 'Redis refused or lost a write' }),
    );
    try {
      return await Promise.race([answered, late]);
    } finally {
      timer?.cancel();
    }
  };
}

import { describe, expect, it } from 'vitest';
import { systemTimers } from '../../../src/application/clock.js';
import { stateStoreHealth } from '../../../src/composition/state-store-health.js';
import { useTestRedis } from '../../support/redis-server.js';

const shared = useTestRedis();

describe('the stateStore component of /healthz', () => {
  it('is up while Redis answers, down within its limit while Redis is paused, up again after', async () => {
    const probe = stateStoreHealth(await shared.bridge(), systemTimers, 300);
    expect(await probe()).toEqual({ status: 'up' });
    shared.server().cli('CLIENT', 'PAUSE', '1500', 'ALL');
    const started = performance.now();
    expect(await probe()).toEqual({ status: 'down', detail: 'Redis did not answer in time' });
    expect(performance.now() - started).toBeLessThan(1_000);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(await probe()).toEqual({ status: 'up' });
  });

  it('is down when Redis is gone', async () => {
    const probe = stateStoreHealth(await shared.bridge(), systemTimers, 300);
    await shared.server().stop();
    expect((await probe()).status).toBe('down');
  });
});

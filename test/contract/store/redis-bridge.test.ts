import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBridge } from '../../../src/adapters/store/redis-bridge.js';
import { systemClock, systemTimers } from '../../../src/application/clock.js';
import { startTestRedis, type TestRedis } from '../../support/redis-server.js';

const TIME = { clock: systemClock, timers: systemTimers };
let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('the Redis bridge (a real redis-server on loopback)', () => {
  it('answers blocking calls in order after queued writes; MULTI is all or nothing', async () => {
    const bridge = await RedisBridge.open({ url: redis.url, timeoutMs: 2_000, ...TIME });
    bridge.send([['SET', 'bridge:a', '1']]);
    bridge.send([['INCR', 'bridge:a']]);
    expect(
      bridge.call([
        ['GET', 'bridge:a'],
        ['GET', 'bridge:none'],
      ]),
    ).toEqual(['2', null]);
    expect(
      bridge.call(
        [
          ['SET', 'bridge:c', '5'],
          ['INCR', 'bridge:c'],
        ],
        { atomic: true },
      ),
    ).toEqual(['OK', 6]);
    expect(() =>
      bridge.call([
        ['SET', 'bridge:b', 'x'],
        ['INCR', 'bridge:b'],
      ]),
    ).toThrow(expect.objectContaining({ code: 'GW_ERR_STATE_STORE' }));
    await bridge.drain();
    await bridge.close();
  });

  it('fails a call that waits past the deadline with GW_ERR_STATE_STORE; the next call gets its own answer', async () => {
    const bridge = await RedisBridge.open({ url: redis.url, timeoutMs: 150, ...TIME });
    const started = performance.now();
    expect(() => bridge.call([['BLPOP', 'bridge:never', '1']])).toThrow(
      expect.objectContaining({ code: 'GW_ERR_STATE_STORE' }),
    );
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(900);
    // BLPOP answers nil after its second; that late answer is skipped, this call gets its own
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(bridge.call([['ECHO', 'after']])).toEqual(['after']);
    await bridge.close();
  });

  it('refuses to open when nothing listens, with GW_ERR_STATE_STORE', async () => {
    await expect(
      RedisBridge.open({ url: 'redis://127.0.0.1:1', timeoutMs: 300, ...TIME }),
    ).rejects.toMatchObject({
      code: 'GW_ERR_STATE_STORE',
    });
  });

  it('drain rejects after a queued write failed', async () => {
    const bridge = await RedisBridge.open({ url: redis.url, timeoutMs: 2_000, ...TIME });
    bridge.send([['SET', 'bridge:d', 'text']]);
    bridge.send([['INCR', 'bridge:d']]);
    await expect(bridge.drain()).rejects.toMatchObject({ code: 'GW_ERR_STATE_STORE' });
    await expect(bridge.drain()).resolves.toBeUndefined();
    await bridge.close();
  });
});

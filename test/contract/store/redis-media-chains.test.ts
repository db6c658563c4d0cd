import { describe, expect, it } from 'vitest';
import { RedisMediaChains } from '../../../src/adapters/store/redis-media-chains.js';
import { ChainOwnership } from '../../../src/application/calls/chain-ownership.js';
import { useTestRedis } from '../../support/redis-server.js';

const shared = useTestRedis();

describe('the media chains of a pair in Redis (tw:media-nodes)', () => {
  it("each gateway announces its nodes; each refuses the other's calls naming it, takes its own", async () => {
    const a = new ChainOwnership({
      nodes: ['udp:127.0.0.1:2223', 'udp:127.0.0.1:2225', 'udp:127.0.0.1:2227'],
      self: { instance: 'gw-a', url: 'http://127.0.0.1:8080' },
      directory: new RedisMediaChains(await shared.bridge()),
    });
    const b = new ChainOwnership({
      nodes: ['udp:127.0.0.1:2233', 'udp:127.0.0.1:2235', 'udp:127.0.0.1:2237'],
      self: { instance: 'gw-b', url: 'http://127.0.0.1:8090' },
      directory: new RedisMediaChains(await shared.bridge()),
    });
    a.announce();
    b.announce();
    expect(() => a.check({ mediaNode: 'udp:127.0.0.1:2237' })).toThrow(
      expect.objectContaining({
        code: 'GW_ERR_OTHER_GATEWAY',
        message: expect.stringContaining('gateway gw-b (http://127.0.0.1:8090)'),
      }),
    );
    expect(() => b.check({ mediaNode: 'udp:127.0.0.1:2223' })).toThrow(
      expect.objectContaining({ message: expect.stringContaining('gateway gw-a (http://127.0.0.1:8080)') }),
    );
    expect(() => a.check({ mediaNode: 'udp:127.0.0.1:2227' })).not.toThrow();
    const held = shared.server().cli('HGETALL', 'tw:media-nodes').trim().split('\n');
    expect(held).toHaveLength(12); // six nodes, each with its gateway
    expect(held).toContain('{"instance":"gw-b","url":"http://127.0.0.1:8090"}');
  });
});
